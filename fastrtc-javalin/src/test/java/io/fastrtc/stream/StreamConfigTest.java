package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Server-side settings that show in the answer, and builder checks. */
class StreamConfigTest {

    static final RtcEngine clients = Clients.engine();

    private static String answer(Stream stream) throws Exception {
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "cfg").sendVideo(5, n -> Patterns.verticalRamp(64, 48))
                        .dataChannel("text")) {
            Signaling.Reply reply = Signaling.offer(server.offerUrl(), "cfg", peer.offer());
            assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
            return reply.json().get("sdp").asText();
        }
    }

    private static String firstVideoCodec(String sdp) {
        Matcher m = Pattern.compile("m=video \\d+ \\S+ (\\d+)").matcher(sdp);
        assertThat(m.find()).isTrue();
        Matcher codec = Pattern.compile("a=rtpmap:" + m.group(1) + " ([A-Za-z0-9]+)/").matcher(sdp);
        assertThat(codec.find()).isTrue();
        return codec.group(1);
    }

    @Test
    void theServerChoosesTheVideoCodec() throws Exception {
        assertThat(firstVideoCodec(answer(Stream.builder().video((f, in) -> f).build()))).isEqualTo("H264");
        assertThat(firstVideoCodec(answer(Stream.builder().video((f, in) -> f).videoCodec(VideoCodec.VP8).build())))
                .isEqualTo("VP8");
        assertThat(firstVideoCodec(answer(Stream.builder().video((f, in) -> f).videoCodec(VideoCodec.VP9).build())))
                .isEqualTo("VP9");
    }

    @Test
    void mediaPortsStayInTheConfiguredRange() throws Exception {
        String sdp = answer(Stream.builder().video((f, in) -> f).portRange(41000, 41010).build());
        Matcher m = Pattern.compile("a=candidate:\\S+ \\d+ udp \\d+ \\S+ (\\d+) typ host").matcher(sdp);
        int found = 0;
        while (m.find()) {
            assertThat(Integer.parseInt(m.group(1))).isBetween(41000, 41010);
            found++;
        }
        assertThat(found).isPositive();
    }

    @Test
    void fetchLatestOutputWaitsForTheFirstOutput() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f.with(AdditionalOutputs.of("seen"))).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "latest").sendVideo(10, n -> Patterns.verticalRamp(64, 48))
                        .dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "latest").isAnswer()).isTrue();
            assertThat(stream.fetchLatestOutput("latest", Duration.ofSeconds(10)))
                    .hasValueSatisfying(o -> assertThat(o.values()).containsExactly("seen"));
        }
    }

    @Test
    void builderChecksNameTheFix() {
        assertThatThrownBy(() -> Stream.builder().build()).hasMessageContaining("needs video((frame, inputs) -> ...)");
        assertThatThrownBy(() -> Stream.builder().mode(Mode.RECEIVE).build()).hasMessageContaining("videoGenerator");
        assertThatThrownBy(() -> Stream.builder().concurrencyLimit(0)).hasMessageContaining("at least 1; got 0");
        assertThatThrownBy(() -> Stream.builder().timeLimit(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Stream.builder().portRange(5000, 4000)).hasMessageContaining("5000-4000");
        assertThatThrownBy(() -> Stream.builder().fps(0)).hasMessageContaining("between 1 and 120");
        assertThatThrownBy(() -> io.fastrtc.ice.IceServer.of("http://x")).hasMessageContaining("stun:, turn: or turns:");
        assertThat(Arrays.stream(Mode.values()).map(Mode::wireName).toList())
                .isEqualTo(List.of("send-receive", "send", "receive"));
    }
}
