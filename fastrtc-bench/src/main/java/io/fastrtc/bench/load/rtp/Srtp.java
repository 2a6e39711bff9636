package io.fastrtc.bench.load.rtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of SRTP (RFC 3711) with AES-128 counter mode and HMAC-SHA1-80, the
 * {@code SRTP_AES128_CM_HMAC_SHA1_80} profile: session keys derived from the master key and salt
 * (key derivation rate 0), {@link #protect} and {@link #unprotect} of RTP packets for one SSRC
 * (the rollover counter follows RFC 3711 §3.3.1's index guess). Not thread-safe: one per direction.
 */
final class Srtp {

    static final int TAG = 10;
    /** Longest packet: 1500 bytes of payload, in AES blocks. */
    private static final int MAX_BLOCKS = 94;
    private final byte[] salt;
    private final Mac auth;
    /** AES on counter blocks, keyed once: counter mode without a key schedule per packet. */
    private final Cipher aes;
    private final byte[] counters = new byte[16 * MAX_BLOCKS];
    private final byte[] keystream = new byte[16 * MAX_BLOCKS];
    private final byte[] roc4 = new byte[4];
    private final byte[] tag = new byte[20];
    private int roc;
    private int highestSeq = -1;

    /** The context for a master key and salt (labels 0, 1, 2: the session's cipher key, auth key, salt). */
    static Srtp fromMaster(byte[] masterKey, byte[] masterSalt) {
        try {
            return new Srtp(derive(masterKey, masterSalt, 0, 16), derive(masterKey, masterSalt, 2, 14),
                    derive(masterKey, masterSalt, 1, 20));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Srtp(byte[] sessionKey, byte[] sessionSalt, byte[] authKey) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"));
            salt = sessionSalt.clone();
            auth = Mac.getInstance("HmacSHA1");
            auth.init(new SecretKeySpec(authKey, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 3711 §4.3.1 with kdr 0: AES-CM keystream with IV = (salt xor label at byte 7) * 2^16. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) throws GeneralSecurityException {
        byte[] x = new byte[16];
        System.arraycopy(masterSalt, 0, x, 0, 14);
        x[7] ^= (byte) label;
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(x));
        return c.doFinal(new byte[length]);
    }

    /**
     * Encrypts the RTP packet in {@code b[0, len)} in place and appends its tag; returns the new
     * length ({@code len + }{@value #TAG}). {@code b} needs room for the tag.
     */
    int protect(byte[] b, int len) {
        int seq = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (highestSeq >= 0 && seq < highestSeq && highestSeq - seq > 0x8000) {
            roc++;
        }
        highestSeq = seq;
        try {
            crypt(b, len, seq, roc);
            return len + sign(b, len, roc, b, len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Authenticates and decrypts the SRTP packet in {@code b[0, len)} in place; returns the RTP
     * packet's length, or -1 if its tag is wrong.
     */
    int unprotect(byte[] b, int len) {
        int rtpLen = len - TAG;
        if (rtpLen < 12) {
            return -1;
        }
        int seq = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int v = roc;
        if (highestSeq >= 0) { // RFC 3711 §3.3.1
            if (highestSeq < 0x8000) {
                v = seq - highestSeq > 0x8000 ? roc - 1 : roc;
            } else {
                v = highestSeq - 0x8000 > seq ? roc + 1 : roc;
            }
        }
        try {
            sign(b, rtpLen, v, tag, 0);
            int diff = 0;
            for (int i = 0; i < TAG; i++) {
                diff |= tag[i] ^ b[rtpLen + i];
            }
            if (diff != 0) {
                return -1;
            }
            crypt(b, rtpLen, seq, v);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        if (highestSeq < 0 || v > roc || (v == roc && seq > highestSeq)) {
            roc = v;
            highestSeq = seq;
        }
        return rtpLen;
    }

    /** Writes HMAC-SHA1(packet || ROC) truncated to 80 bits at {@code out[at]}. */
    private int sign(byte[] b, int len, int roc, byte[] out, int at) throws GeneralSecurityException {
        auth.update(b, 0, len);
        roc4[0] = (byte) (roc >>> 24);
        roc4[1] = (byte) (roc >>> 16);
        roc4[2] = (byte) (roc >>> 8);
        roc4[3] = (byte) roc;
        auth.update(roc4);
        auth.doFinal(tag, 0);
        if (out != tag) {
            System.arraycopy(tag, 0, out, at, TAG);
        }
        return TAG;
    }

    /** AES-CM over the payload: counter blocks (salt * 2^16 xor SSRC * 2^64 xor index * 2^16) + block number. */
    private void crypt(byte[] b, int len, int seq, int roc) throws GeneralSecurityException {
        int header = headerLength(b, len);
        int n = len - header;
        int blocks = (n + 15) / 16;
        if (blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("RTP payload of " + n + " bytes is longer than SRTP here allows");
        }
        byte[] iv = counters;
        System.arraycopy(salt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= b[8 + i];
        }
        iv[8] ^= (byte) (roc >>> 24);
        iv[9] ^= (byte) (roc >>> 16);
        iv[10] ^= (byte) (roc >>> 8);
        iv[11] ^= (byte) roc;
        iv[12] ^= (byte) (seq >>> 8);
        iv[13] ^= (byte) seq;
        for (int j = 0; j < blocks; j++) {
            if (j > 0) {
                System.arraycopy(iv, 0, counters, 16 * j, 14);
            }
            counters[16 * j + 14] = (byte) (j >>> 8);
            counters[16 * j + 15] = (byte) j;
        }
        aes.update(counters, 0, 16 * blocks, keystream, 0);
        for (int i = 0; i < n; i++) {
            b[header + i] ^= keystream[i];
        }
    }

    /** The RTP header's length: 12 bytes, the CSRCs and the extension if there is one. */
    static int headerLength(byte[] b, int len) {
        int at = 12 + 4 * (b[0] & 0x0f);
        if ((b[0] & 0x10) != 0 && at + 4 <= len) {
            at += 4 + 4 * (((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff));
        }
        return Math.min(at, len);
    }
}
