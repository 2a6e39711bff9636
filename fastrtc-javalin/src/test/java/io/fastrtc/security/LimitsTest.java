package io.fastrtc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.engine.Sdp;
import io.fastrtc.stream.Caller;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Signaling.Reply;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits that hold when clients misbehave. */
class LimitsTest {

    static final RtcEngine clients = Clients.engine();
    static final String LINE = "candidate:1 1 udp 2122260223 10.77.0.2 40000 typ host";

    static TestPeer channelOnly(String name) {
        return new TestPeer(clients, name).dataChannel("text");
    }

    @Test
    void offersPerClientPerMinuteCountTheClientBehindATrustedProxy() throws Exception {
        Limits three = Limits.DEFAULT.withOffersPerMinute(3);
        Stream proxied = Stream.builder().video((f, in) -> f).concurrencyLimit(10).limits(three)
                .trustedProxies("127.0.0.1").build();
        Stream direct = Stream.builder().video((f, in) -> f).concurrencyLimit(10).limits(three).build();
        try (StreamServer behindProxy = StreamServer.start(proxied); StreamServer exposed = StreamServer.start(direct);
                TestPeer peer = channelOnly("rate")) {
            String sdp = peer.offer();
            Signaling.Client first = Signaling.browser().withHeader("X-Forwarded-For", "198.51.100.1");
            Signaling.Client second = Signaling.browser().withHeader("X-Forwarded-For", "198.51.100.2");
            for (int i = 0; i < 3; i++) {
                assertThat(first.offer(behindProxy.offerUrl(), "a" + i, sdp).isAnswer()).isTrue();
                assertThat(first.offer(exposed.offerUrl(), "a" + i, sdp).isAnswer()).isTrue();
            }
            Reply limited = first.offer(behindProxy.offerUrl(), "a3", sdp);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.error()).isEqualTo("rate_limited");
            assertThat(limited.json().path("meta").path("message").asText()).contains("the limit is 3 a minute");
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
            assertThat(proxied.connectionIds()).hasSize(3);
            // Another client behind the trusted proxy has its own allowance...
            assertThat(second.offer(behindProxy.offerUrl(), "b0", sdp).isAnswer()).isTrue();
            // ...but without trust, a forwarded-for header is only a header: same client, refused.
            assertThat(second.offer(exposed.offerUrl(), "b0", sdp).error()).isEqualTo("rate_limited");
        }
    }

    @Test
    void candidatesPerConnectionCountTheOfferAndTheTrickle() throws Exception {
        try (TestPeer peer = channelOnly("ice")) {
            String sdp = peer.offer();
            int inOffer = Sdp.candidateCount(sdp);
            assertThat(inOffer).as("the test peer gathers host candidates").isPositive();
            Stream stream = Stream.builder().video((f, in) -> f)
                    .limits(Limits.DEFAULT.withCandidatesPerConnection(inOffer + 2)).build();
            try (StreamServer server = StreamServer.start(stream)) {
                assertThat(Signaling.offer(server.offerUrl(), "ice", sdp).isAnswer()).isTrue();
                assertThat(Signaling.post(server.offerUrl(), Signaling.candidate("ice", LINE)).json().path("status")
                        .asText()).isEqualTo("success");
                assertThat(Signaling.post(server.offerUrl(), Signaling.candidate("ice", LINE)).json().path("status")
                        .asText()).isEqualTo("success");
                Reply third = Signaling.post(server.offerUrl(), Signaling.candidate("ice", LINE));
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.error()).isEqualTo("too_many_candidates");

                String stuffed = sdp + ("a=candidate:9 1 udp 1 10.77.0.9 9 typ host\r\n").repeat(3);
                Reply refused = Signaling.offer(server.offerUrl(), "stuffed", stuffed);
                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.json().path("meta").path("message").asText())
                        .isEqualTo("the offer has " + (inOffer + 3) + " ICE candidates; at most " + (inOffer + 2)
                                + " are accepted");
            }
        }
    }

    @Test
    void dataChannelMessagesOverTheRateAreDroppedAndTheClientIsTold() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).limits(Limits.DEFAULT.withMessagesPerSecond(5)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = channelOnly("flood")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "flood").isAnswer()).isTrue();
            assertThat(peer.awaitChannelOpen(Duration.ofSeconds(10))).isTrue();
            for (int i = 0; i < 1000; i++) {
                peer.send("m" + i);
            }
            int echoes = 0;
            String dropped = null;
            for (String m; (m = peer.nextMessage(Duration.ofSeconds(3))) != null; ) {
                echoes += m.contains("Server received: m") ? 1 : 0;
                dropped = m.contains("dropped") && dropped == null ? m : dropped;
            }
            assertThat(dropped).matches("\\{\"type\":\"error\",\"message\":\"\\d+ data-channel messages dropped; the"
                    + " limit is 5 a second\"}");
            assertThat(echoes).as("a burst of 10, then 5 a second while 1000 arrive").isBetween(10, 500);
            // The bucket refills: a well-paced client is heard again.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
                peer.send("again");
                return peer.awaitMessage("Server received: again", Duration.ofMillis(400)) != null;
            });
            assertThat(stream.connectionIds()).containsExactly("flood");
        }
    }

    @Test
    void totalConnectionsAreCappedAcrossStreams() throws Exception {
        try (FastRtc rtc = FastRtc.builder().maxTotalConnections(2).build();
                StreamServer a = StreamServer.start(Stream.builder().runtime(rtc).video((f, in) -> f).concurrencyLimit(5)
                        .build());
                StreamServer b = StreamServer.start(Stream.builder().runtime(rtc).video((f, in) -> f).concurrencyLimit(5)
                        .build());
                TestPeer peer = channelOnly("cap")) {
            Stream one = a.stream();
            String sdp = peer.offer();
            assertThat(Signaling.offer(a.offerUrl(), "a1", sdp).isAnswer()).isTrue();
            assertThat(Signaling.offer(b.offerUrl(), "b1", sdp).isAnswer()).isTrue();
            Reply refused = Signaling.offer(b.offerUrl(), "b2", sdp);
            assertThat(refused.json().toString())
                    .isEqualTo("{\"status\":\"failed\",\"meta\":{\"error\":\"concurrency_limit_reached\",\"limit\":2}}");
            one.closeConnection("a1");
            assertThat(Signaling.offer(b.offerUrl(), "b2", sdp).isAnswer()).as("a freed slot is reusable").isTrue();
        }
    }

    @Test
    void aClientHoldsAtMostTheAllowedOutputStreamsOfAConnection() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f)
                .limits(Limits.DEFAULT.withOutputListenersPerConnection(2)).build();
        try (StreamServer server = StreamServer.startWithUi(stream); TestPeer peer = channelOnly("out")) {
            Reply answer = Signaling.offer(server.offerUrl(), "out", peer.offer());
            Caller owner = stream.authorize(new Request("GET", "/outputs", Map.of("X-FastRTC-Token",
                    List.of(answer.token())), Map.of(), Map.of(), "192.0.2.7"));
            OutputFeed first = owner.outputStream("out");
            try (OutputFeed second = owner.outputStream("out")) {
                assertThatThrownBy(() -> owner.outputStream("out")).isInstanceOfSatisfying(AccessDenied.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("too_many_listeners");
                });
                Reply viaRoute = Signaling.browser().withHeader("X-FastRTC-Token", answer.token())
                        .get(server.url("/ui/outputs?webrtc_id=out"));
                assertThat(viaRoute.status()).isEqualTo(429);
                assertThat(viaRoute.json().path("error").asText()).isEqualTo("too_many_listeners");
                assertThat(stream.outputStream("out")).as("the application's own code is not limited").isNotNull();
            }
            first.close();
            assertThat(owner.outputStream("out")).isNotNull();
        }
    }
}
