package io.fastrtc.bench.load.rtp;

import static io.fastrtc.bench.load.rtp.StunTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** SRTP against RFC 3711 Appendix B (key derivation, AES-CM keystream), and its authentication. */
class SrtpTest {

    @Test
    void keyDerivationMatchesRfc3711AppendixB3() throws Exception {
        byte[] key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = hex("0EC675AD498AFEEBB6960B3AABE6");
        assertThat(Srtp.derive(key, salt, 0, 16)).isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(Srtp.derive(key, salt, 1, 20)).isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
        assertThat(Srtp.derive(key, salt, 2, 14)).isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
    }

    @Test
    void payloadKeystreamMatchesRfc3711AppendixB2() {
        // Session key and salt of B.2; SSRC 0, sequence number 0, ROC 0: a zero payload encrypts to the keystream.
        Srtp srtp = new Srtp(hex("2B7E151628AED2A6ABF7158809CF4F3C"), hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        byte[] packet = new byte[12 + 48 + Srtp.TAG];
        packet[0] = (byte) 0x80;
        srtp.protect(packet, 12 + 48);
        assertThat(Arrays.copyOfRange(packet, 12, 60)).isEqualTo(hex("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0"));
    }

    @Test
    void tagIsHmacSha1OfPacketAndRolloverCounterAndAChangedByteFailsIt() throws Exception {
        byte[] key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = hex("0EC675AD498AFEEBB6960B3AABE6");
        Srtp sender = Srtp.fromMaster(key, salt);
        Srtp receiver = Srtp.fromMaster(key, salt);
        byte[] rtp = rtp(0x1234, "hello opus");
        byte[] wire = Arrays.copyOf(rtp, rtp.length + Srtp.TAG);
        int len = sender.protect(wire, rtp.length);
        assertThat(len).isEqualTo(rtp.length + 10);
        assertThat(Arrays.copyOfRange(wire, 12, rtp.length)).isNotEqualTo(Arrays.copyOfRange(rtp, 12, rtp.length));
        Mac mac = Mac.getInstance("HmacSHA1"); // RFC 3711 §4.2: HMAC over the encrypted packet || ROC (0)
        mac.init(new SecretKeySpec(Srtp.derive(key, salt, 1, 20), "HmacSHA1"));
        mac.update(wire, 0, rtp.length);
        mac.update(new byte[4]);
        assertThat(Arrays.copyOfRange(wire, rtp.length, len)).isEqualTo(Arrays.copyOf(mac.doFinal(), 10));

        byte[] tampered = wire.clone();
        tampered[14] ^= 1;
        assertThat(receiver.unprotect(tampered, len)).isEqualTo(-1);
        assertThat(receiver.unprotect(wire, len)).isEqualTo(rtp.length);
        assertThat(Arrays.copyOf(wire, rtp.length)).isEqualTo(rtp);
    }

    @Test
    void sequenceNumbersWrapIntoTheNextRolloverCounter() {
        byte[] key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] salt = hex("0EC675AD498AFEEBB6960B3AABE6");
        Srtp sender = Srtp.fromMaster(key, salt);
        Srtp receiver = Srtp.fromMaster(key, salt);
        for (int seq : new int[] {0xfffe, 0xffff, 0, 1}) {
            byte[] rtp = rtp(seq, "payload " + seq);
            byte[] wire = Arrays.copyOf(rtp, rtp.length + Srtp.TAG);
            int len = sender.protect(wire, rtp.length);
            assertThat(receiver.unprotect(wire, len)).as("seq %d", seq).isEqualTo(rtp.length);
            assertThat(Arrays.copyOf(wire, rtp.length)).isEqualTo(rtp);
        }
        // A receiver that never saw the wrap reads the packet after it with the wrong ROC: its tag fails.
        Srtp fresh = Srtp.fromMaster(key, salt);
        byte[] early = rtp(0xffff, "x");
        byte[] wire = Arrays.copyOf(early, early.length + Srtp.TAG);
        fresh.unprotect(wire, Srtp.fromMaster(key, salt).protect(wire, early.length));
        Srtp wrapped = Srtp.fromMaster(key, salt);
        byte[] last = rtp(0xffff, "y");
        wrapped.protect(Arrays.copyOf(last, last.length + Srtp.TAG), last.length);
        byte[] after = rtp(2, "z");
        byte[] afterWire = Arrays.copyOf(after, after.length + Srtp.TAG);
        int len = wrapped.protect(afterWire, after.length);
        byte[] copy = afterWire.clone();
        assertThat(fresh.unprotect(copy, len)).isEqualTo(after.length); // guessed ROC 1 from seq 0xffff
        assertThat(Srtp.fromMaster(key, salt).unprotect(afterWire, len)).isEqualTo(-1); // ROC 0: wrong
    }

    private static byte[] rtp(int seq, String payload) {
        byte[] p = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] b = new byte[12 + p.length];
        b[0] = (byte) 0x80;
        b[1] = 111;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[11] = 42;
        System.arraycopy(p, 0, b, 12, p.length);
        return b;
    }
}
