package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpTest {

    private static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=rtpmap:111 opus/48000/2", "a=sendrecv",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105",
            "a=recvonly",
            "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f",
            "a=rtpmap:103 rtx/90000", "a=fmtp:103 apt=102",
            "a=rtpmap:104 H264/90000", "a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:105 rtx/90000", "a=fmtp:105 apt=104",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "");

    @Test
    void listsMediaSectionsWithTheirDirection() {
        assertThat(Sdp.media(OFFER)).containsExactly(new Sdp.Media("audio", "sendrecv"),
                new Sdp.Media("video", "recvonly"), new Sdp.Media("application", "sendrecv"));
    }

    @Test
    void movesThePreferredCodecAndItsRtxToTheFront() {
        String munged = Sdp.preferVideoCodec(OFFER, "H264");
        assertThat(munged).contains("m=video 9 UDP/TLS/RTP/SAVPF 104 102 105 103 96 97\r\n");
        assertThat(munged.replace("104 102 105 103 96 97", "96 97 102 103 104 105")).isEqualTo(OFFER);
        assertThat(munged).contains("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n");
    }

    @Test
    void leavesOffersWithoutTheCodecUnchanged() {
        assertThat(Sdp.preferVideoCodec(OFFER, "AV1")).isEqualTo(OFFER);
        assertThat(Sdp.preferVideoCodec(OFFER.replace("\r\n", "\n"), "VP8")).isEqualTo(OFFER.replace("\r\n", "\n"));
        assertThat(Sdp.media("garbage")).isEqualTo(List.of());
    }

    @Test
    void tellsAnAnswerFromAnOfferByItsDtlsRole() {
        assertThat(Sdp.answerRole("v=0\r\nm=audio 9 x 0\r\na=setup:actpass\r\n")).isNull();
        assertThat(Sdp.answerRole("v=0\r\nm=audio 9 x 0\r\n")).isNull();
        assertThat(Sdp.answerRole("v=0\nm=audio 9 x 0\na=setup:actpass\nm=video 9 x 0\na=setup:Active\n"))
                .isEqualTo("active");
        assertThat(Sdp.answerRole("v=0\r\nm=audio 9 x 0\r\na=setup:passive\r\n")).isEqualTo("passive");
    }

    @Test
    void asksForTenMillisecondAudioPacketsInEveryAudioSectionThatNamesNoPacketTime() {
        String munged = Sdp.withAudioPacketTime(OFFER, 10);
        assertThat(munged).contains("a=sendrecv\r\na=ptime:10\r\nm=video ");
        assertThat(munged.split("a=ptime:", -1)).hasSize(2); // audio only, once
        assertThat(munged.replace("a=ptime:10\r\n", "")).isEqualTo(OFFER);

        String lf = OFFER.replace("\r\n", "\n");
        assertThat(Sdp.withAudioPacketTime(lf, 10)).contains("a=sendrecv\na=ptime:10\nm=video ");
        String audioLast = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2";
        assertThat(Sdp.withAudioPacketTime(audioLast, 10)).isEqualTo(audioLast + "\r\na=ptime:10");
    }

    @Test
    void keepsThePacketTimeAPeerStated() {
        String stated = OFFER.replace("a=sendrecv\r\n", "a=sendrecv\r\na=ptime:40\r\n");
        assertThat(Sdp.withAudioPacketTime(stated, 10)).isEqualTo(stated);
        String noAudio = OFFER.substring(OFFER.indexOf("m=video"));
        assertThat(Sdp.withAudioPacketTime(noAudio, 10)).isEqualTo(noAudio);
    }
}
