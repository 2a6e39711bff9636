package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Signaling.Reply;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Slider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FastRTC's offer route: answers, the failure JSON, and bad requests. */
class OfferProtocolTest {

    static final RtcEngine clients = Clients.engine();

    private static Stream echo(int limit) {
        return Stream.builder().video((frame, in) -> frame).concurrencyLimit(limit).build();
    }

    private static TestPeer channelOnly(String name) {
        return new TestPeer(clients, name).dataChannel("test-data-channel");
    }

    @Test
    void answersADataChannelOnlyOfferAndAVideoOffer() throws Exception {
        try (StreamServer server = StreamServer.start(echo(2));
                TestPeer plain = channelOnly("dc");
                TestPeer video = new TestPeer(clients, "v").sendVideo(5,
                        n -> io.fastrtc.testing.Patterns.verticalRamp(64, 48)).dataChannel("text")) {
            Reply a = Signaling.connect(plain, server.offerUrl(), "dc-only");
            assertThat(a.isAnswer()).as(a.toString()).isTrue();
            assertThat(a.json().get("sdp").asText()).contains("webrtc-datachannel").doesNotContain("m=video");
            Reply b = Signaling.connect(video, server.offerUrl(), "with-video");
            assertThat(b.json().get("sdp").asText()).contains("webrtc-datachannel").contains("m=video");
            assertThat(server.stream().connectionIds()).containsExactlyInAnyOrder("dc-only", "with-video");
        }
    }

    @Test
    void refusesADuplicateIdBeforeCheckingTheLimit() throws Exception {
        try (StreamServer server = StreamServer.start(echo(1));
                TestPeer first = channelOnly("a");
                TestPeer second = channelOnly("b")) {
            assertThat(Signaling.connect(first, server.offerUrl(), "test_id").isAnswer()).isTrue();
            Reply dup = Signaling.offer(server.offerUrl(), "test_id", second.offer());
            assertThat(dup.status()).isEqualTo(200);
            assertThat(dup.json().toString())
                    .isEqualTo("{\"status\":\"failed\",\"meta\":{\"error\":\"connection_already_exists\"}}");
        }
    }

    @Test
    void refusesOffersBeyondTheConcurrencyLimitCountingPendingConnections() throws Exception {
        try (StreamServer server = StreamServer.start(echo(2));
                TestPeer foo = channelOnly("foo");
                TestPeer bar = channelOnly("bar");
                TestPeer baz = channelOnly("baz")) {
            // Offers only: these connections never connect, yet they hold their slots.
            assertThat(Signaling.offer(server.offerUrl(), "foo", foo.offer()).isAnswer()).isTrue();
            assertThat(Signaling.offer(server.offerUrl(), "bar", bar.offer()).isAnswer()).isTrue();
            Reply third = Signaling.offer(server.offerUrl(), "baz", baz.offer());
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.json().toString()).isEqualTo(
                    "{\"status\":\"failed\",\"meta\":{\"error\":\"concurrency_limit_reached\",\"limit\":2}}");
        }
    }

    @Test
    void aClientThatStartsAndStopsAHundredTimesIsNeverRefused() throws Exception {
        // Admission races, not the rate limit, are the subject here.
        Stream stream = Stream.builder().video((frame, in) -> frame)
                .limits(io.fastrtc.security.Limits.DEFAULT.withOffersPerMinute(1000)).build();
        try (StreamServer server = StreamServer.start(stream)) {
            List<String> refusals = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                try (TestPeer peer = channelOnly("cycle" + i)) {
                    Reply reply = Signaling.connect(peer, server.offerUrl(), "cycle-" + i);
                    if (!reply.isAnswer()) {
                        refusals.add(i + ": " + reply.json());
                        continue;
                    }
                    assertThat(peer.awaitChannelOpen(Duration.ofSeconds(10))).as("cycle %d", i).isTrue();
                }
            }
            assertThat(refusals).isEmpty();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stream().connectionIds().isEmpty());
        }
    }

    @Test
    void rejectsMalformedRequestsWithClearErrorsAndKeepsServing() throws Exception {
        try (StreamServer server = StreamServer.start(echo(1)); TestPeer good = channelOnly("good")) {
            String url = server.offerUrl();
            assertFailed(Signaling.post(url, "{not json"), 422, "invalid_json");
            assertFailed(Signaling.post(url, ""), 422, "invalid_request");
            assertFailed(Signaling.post(url, "[1,2]"), 422, "invalid_request");
            assertFailed(Signaling.post(url, "{\"sdp\":\"v=0\",\"type\":\"offer\"}"), 422, "invalid_request");
            assertFailed(Signaling.post(url, "{\"sdp\":\"v=0\",\"webrtc_id\":\"x\"}"), 422, "invalid_request");
            assertFailed(Signaling.post(url, "{\"sdp\":5,\"type\":\"offer\",\"webrtc_id\":\"x\"}"), 422,
                    "invalid_request");
            assertFailed(Signaling.post(url, "{\"sdp\":\"v=0\",\"type\":\"answer\",\"webrtc_id\":\"x\"}"), 422,
                    "invalid_request");
            assertFailed(Signaling.post(url, "{\"sdp\":\"v=0\",\"type\":\"offer\",\"webrtc_id\":\"a b\"}"), 422,
                    "invalid_webrtc_id");
            assertFailed(Signaling.offer(url, "x", "hello"), 400, "invalid_sdp");
            assertFailed(Signaling.offer(url, "x", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n"), 400, "invalid_sdp");
            assertFailed(Signaling.offer(url, "x",
                    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=garbage\r\n"),
                    400, "invalid_sdp");
            assertFailed(Signaling.post(url, "{\"pad\":\"" + "x".repeat(70_000) + "\"}"), 413, "request_too_large");
            // A track the modality cannot take is refused and does not hold a slot.
            String audioOffer = good.offer().replace("m=application", "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                    + "a=rtpmap:111 opus/48000/2\r\nm=application");
            Reply wrongKind = Signaling.offer(url, "audio", audioOffer);
            assertFailed(wrongKind, 400, "unsupported_track_kind");
            assertThat(wrongKind.json().path("meta").path("message").asText())
                    .isEqualTo("Unsupported track kind 'audio' for modality 'video'");
            assertThat(server.stream().connectionIds()).isEmpty();
            // After all that, a well-formed offer is answered: nothing leaked a slot.
            assertThat(Signaling.connect(good, url, "good").isAnswer()).isTrue();
            assertThat(good.awaitConnected(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void handlesTrickledCandidates() throws Exception {
        try (StreamServer server = StreamServer.start(echo(1)); TestPeer peer = channelOnly("ice")) {
            String url = server.offerUrl();
            String candidate = "{\"type\":\"ice-candidate\",\"webrtc_id\":\"%s\",\"candidate\":{\"candidate\":\"%s\","
                    + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
            String line = "candidate:2393089663 1 udp 2122260223 10.77.0.2 63692 typ host generation 0";
            assertThat(Signaling.post(url, candidate.formatted("nobody", line)).error()).isEqualTo("unknown_connection");
            assertThat(Signaling.offer(url, "ice", peer.offer()).isAnswer()).isTrue();
            assertThat(Signaling.post(url, candidate.formatted("ice", line)).json().toString())
                    .isEqualTo("{\"status\":\"success\"}");
            // Firefox-style short host candidate (8 tokens): FastRTC refuses it, we accept it.
            assertThat(Signaling.post(url, candidate.formatted("ice",
                    "candidate:0 1 UDP 2122252543 10.77.0.2 40000 typ host")).json().path("status").asText())
                    .isEqualTo("success");
            assertThat(Signaling.post(url, candidate.formatted("ice", "garbage")).error())
                    .isEqualTo("invalid_candidate_format");
            assertThat(Signaling.post(url, candidate.formatted("ice", "")).json().path("status").asText())
                    .isEqualTo("success");
        }
    }

    @Test
    void checksInputsAndIds() throws Exception {
        // An unknown id is waited for up to the connect timeout: a short one keeps the test short, so
        // the peer connects rather than only offering.
        Stream stream = Stream.builder().video((f, in) -> f).additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .connectTimeout(Duration.ofSeconds(3)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = channelOnly("in")) {
            assertThatThrownBy(() -> stream.setInput("nobody", 0.5))
                    .isInstanceOf(UnknownConnectionException.class).hasMessageContaining("'nobody'");
            assertThatThrownBy(() -> stream.outputStream("nobody")).isInstanceOf(UnknownConnectionException.class);
            assertThat(Signaling.connect(peer, server.offerUrl(), "in").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            assertThat(stream.inputs("in").asList()).containsExactly(0.3);
            assertThatThrownBy(() -> stream.setInput("in", 2.0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("slider 'Threshold'").hasMessageContaining("from 0.0 to 1.0");
            assertThatThrownBy(() -> stream.setInput("in", 0.1, 0.2)).hasMessageContaining("1 additional inputs");
            assertThatThrownBy(() -> stream.setInput("in", "abc")).hasMessageContaining("\"abc\"");
            stream.setInput("in", "0.25");
            assertThat(stream.inputs("in").asList()).containsExactly(0.25);
        }
    }

    private static void assertFailed(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().path("status").asText()).as(reply.toString()).isEqualTo("failed");
        assertThat(reply.error()).as(reply.toString()).isEqualTo(code);
    }
}
