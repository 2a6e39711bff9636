package io.fastrtc.bench.load.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** STUN integrity and fingerprint against RFC 5769's sample messages, and our own messages round trip. */
class StunTest {

    private static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    /** RFC 5769 §2.1: a Binding request (an ICE check: PRIORITY, ICE-CONTROLLED, USERNAME evtj:h6vY). */
    private static final byte[] SAMPLE_REQUEST = hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");
    /** RFC 5769 §2.2: its success response, XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    private static final byte[] SAMPLE_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    @Test
    void rfc5769SamplesVerifyWithTheirPasswordOnly() {
        assertThat(Stun.isStun(SAMPLE_REQUEST, SAMPLE_REQUEST.length)).isTrue();
        assertThat(Stun.verify(SAMPLE_REQUEST, SAMPLE_REQUEST.length, PASSWORD)).isTrue();
        assertThat(Stun.verify(SAMPLE_RESPONSE, SAMPLE_RESPONSE.length, PASSWORD)).isTrue();
        assertThat(Stun.verify(SAMPLE_REQUEST, SAMPLE_REQUEST.length, "another password")).isFalse();
        assertThat(Stun.username(SAMPLE_REQUEST, SAMPLE_REQUEST.length)).isEqualTo("evtj:h6vY");
    }

    @Test
    void aChangedByteFailsIntegrityOrFingerprint() {
        for (int at : new int[] {9, 40, SAMPLE_REQUEST.length - 1}) { // transaction, SOFTWARE, the CRC itself
            byte[] b = SAMPLE_REQUEST.clone();
            b[at] ^= 1;
            assertThat(Stun.verify(b, b.length, PASSWORD)).as("byte %d changed", at).isFalse();
        }
    }

    @Test
    void ourSuccessResponseMapsTheAddressAsTheRfcDoes() {
        byte[] transaction = Stun.transactionId(SAMPLE_RESPONSE);
        byte[] ours = Stun.bindingSuccess(transaction, new InetSocketAddress("192.0.2.1", 32853), PASSWORD);
        assertThat(Stun.type(ours)).isEqualTo(Stun.BINDING_SUCCESS);
        assertThat(Stun.attribute(ours, ours.length, Stun.XOR_MAPPED_ADDRESS))
                .isEqualTo(Stun.attribute(SAMPLE_RESPONSE, SAMPLE_RESPONSE.length, Stun.XOR_MAPPED_ADDRESS));
        assertThat(Stun.verify(ours, ours.length, PASSWORD)).isTrue();
        assertThat(Stun.verify(ours, ours.length, "wrong")).isFalse();
    }

    @Test
    void ourCheckCarriesWhatIceNeeds() {
        byte[] transaction = Stun.transactionId(SAMPLE_REQUEST);
        byte[] check = Stun.bindingRequest(transaction, "evtj", "h6vY", PASSWORD, 0x6e0001ff, 0x932ff9b151263b36L);
        assertThat(Stun.verify(check, check.length, PASSWORD)).isTrue();
        assertThat(Stun.username(check, check.length)).isEqualTo("evtj:h6vY");
        // The same PRIORITY value, and the tie-breaker the sample's ICE-CONTROLLED carries, now as ICE-CONTROLLING.
        assertThat(Stun.attribute(check, check.length, Stun.PRIORITY))
                .isEqualTo(Stun.attribute(SAMPLE_REQUEST, SAMPLE_REQUEST.length, Stun.PRIORITY));
        assertThat(Stun.attribute(check, check.length, Stun.ICE_CONTROLLING))
                .isEqualTo(Stun.attribute(SAMPLE_REQUEST, SAMPLE_REQUEST.length, 0x8029));
        assertThat(Stun.attribute(check, check.length, Stun.USE_CANDIDATE)).isEmpty();
        assertThat(new String(Stun.attribute(check, check.length, Stun.USERNAME), StandardCharsets.UTF_8))
                .isEqualTo("evtj:h6vY");
        assertThat(check.length % 4).isZero();
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }
}
