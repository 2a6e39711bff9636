package io.fastrtc.bench.load.rtp;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN messages ICE needs (RFC 5389, RFC 8445): Binding requests with short-term credentials and
 * their success responses, each with MESSAGE-INTEGRITY (HMAC-SHA1) and FINGERPRINT (CRC-32 xor
 * {@code 0x5354554e}).
 */
final class Stun {

    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int FINGERPRINT = 0x8028;
    static final int ICE_CONTROLLING = 0x802A;
    private static final int FINGERPRINT_XOR = 0x5354554e;

    private Stun() {
    }

    /** Whether a datagram's first byte and cookie say STUN (RFC 7983: first byte 0-3). */
    static boolean isStun(byte[] b, int len) {
        return len >= 20 && (b[0] & 0xff) < 4 && ByteBuffer.wrap(b, 4, 4).getInt() == MAGIC_COOKIE;
    }

    static int type(byte[] b) {
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    }

    static byte[] transactionId(byte[] b) {
        return Arrays.copyOfRange(b, 8, 20);
    }

    /** The controlling agent's check: USERNAME remote:local, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE. */
    static byte[] bindingRequest(byte[] transaction, String remoteUfrag, String localUfrag, String remotePwd,
                                 int priority, long tieBreaker) {
        Builder m = new Builder(BINDING_REQUEST, transaction);
        m.attribute(USERNAME, (remoteUfrag + ":" + localUfrag).getBytes(StandardCharsets.UTF_8));
        m.attribute(PRIORITY, ByteBuffer.allocate(4).putInt(priority).array());
        m.attribute(ICE_CONTROLLING, ByteBuffer.allocate(8).putLong(tieBreaker).array());
        m.attribute(USE_CANDIDATE, new byte[0]);
        return m.finish(remotePwd);
    }

    /** The success response to a check from {@code from}, signed with our password. */
    static byte[] bindingSuccess(byte[] transaction, InetSocketAddress from, String localPwd) {
        Builder m = new Builder(BINDING_SUCCESS, transaction);
        byte[] ip = from.getAddress().getAddress();
        ByteBuffer v = ByteBuffer.allocate(4 + ip.length);
        v.put((byte) 0).put((byte) (from.getAddress() instanceof Inet4Address ? 1 : 2));
        v.putShort((short) (from.getPort() ^ (MAGIC_COOKIE >>> 16)));
        byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transaction).array();
        for (int i = 0; i < ip.length; i++) {
            v.put((byte) (ip[i] ^ mask[i]));
        }
        m.attribute(XOR_MAPPED_ADDRESS, v.array());
        return m.finish(localPwd);
    }

    /** An attribute's value, or null. */
    static byte[] attribute(byte[] b, int len, int wanted) {
        int end = Math.min(len, 20 + (((b[2] & 0xff) << 8) | (b[3] & 0xff)));
        for (int at = 20; at + 4 <= end; ) {
            int type = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
            int length = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (at + 4 + length > end) {
                return null;
            }
            if (type == wanted) {
                return Arrays.copyOfRange(b, at + 4, at + 4 + length);
            }
            at += 4 + ((length + 3) & ~3);
        }
        return null;
    }

    static String username(byte[] b, int len) {
        byte[] u = attribute(b, len, USERNAME);
        return u == null ? null : new String(u, StandardCharsets.UTF_8);
    }

    /**
     * Whether the message's MESSAGE-INTEGRITY is right for {@code pwd} and its FINGERPRINT (if any) for
     * its bytes: checked over the message as it was when each was added (RFC 5389 §15.4, §15.5).
     */
    static boolean verify(byte[] b, int len, String pwd) {
        int end = Math.min(len, 20 + (((b[2] & 0xff) << 8) | (b[3] & 0xff)));
        int integrityAt = -1;
        for (int at = 20; at + 4 <= end; ) {
            int type = ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
            int length = ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            if (type == MESSAGE_INTEGRITY && length == 20) {
                integrityAt = at;
            } else if (type == FINGERPRINT && length == 4) {
                if (ByteBuffer.wrap(b, at + 4, 4).getInt() != crc(b, at, at + 8 - 20)) {
                    return false;
                }
            }
            at += 4 + ((length + 3) & ~3);
        }
        if (integrityAt < 0) {
            return false;
        }
        byte[] copy = Arrays.copyOf(b, integrityAt);
        setLength(copy, integrityAt + 24 - 20);
        byte[] mac = hmac(pwd, copy, integrityAt);
        return Arrays.equals(mac, 0, 20, b, integrityAt + 4, integrityAt + 24);
    }

    /** CRC-32 of {@code b[0, end)} with the header's length set to {@code length}, xor the STUN constant. */
    private static int crc(byte[] b, int end, int length) {
        byte[] copy = Arrays.copyOf(b, end);
        setLength(copy, length);
        CRC32 crc = new CRC32();
        crc.update(copy, 0, end);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    private static void setLength(byte[] b, int length) {
        b[2] = (byte) (length >>> 8);
        b[3] = (byte) length;
    }

    static byte[] hmac(String pwd, byte[] data, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(pwd.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(data, 0, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends attributes, then MESSAGE-INTEGRITY and FINGERPRINT. */
    static final class Builder {
        private final ByteBuffer buf = ByteBuffer.allocate(548);

        Builder(int type, byte[] transaction) {
            buf.putShort((short) type).putShort((short) 0).putInt(MAGIC_COOKIE).put(transaction);
        }

        void attribute(int type, byte[] value) {
            buf.putShort((short) type).putShort((short) value.length).put(value);
            for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
                buf.put((byte) 0);
            }
        }

        byte[] finish(String pwd) {
            byte[] b = buf.array();
            int at = buf.position();
            setLength(b, at + 24 - 20);
            byte[] mac = hmac(pwd, b, at);
            attribute(MESSAGE_INTEGRITY, mac);
            at = buf.position();
            attribute(FINGERPRINT, ByteBuffer.allocate(4).putInt(crc(b, at, at + 8 - 20)).array());
            setLength(b, buf.position() - 20);
            return Arrays.copyOf(b, buf.position());
        }
    }
}
