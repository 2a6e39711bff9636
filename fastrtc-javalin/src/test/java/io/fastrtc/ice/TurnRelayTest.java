package io.fastrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastrtc.credentials.CoturnSecret;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Coturn;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Media through a real TURN server: coturn runs in the test network namespace with time-limited
 * credentials; the server and the client both use relay-only ICE, so the connection can only
 * work through coturn's relays.
 */
class TurnRelayTest {

    static final String SECRET = "relay-test-secret";

    static Coturn coturn;
    static RtcEngine clients;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Coturn.binary().isPresent(), "turnserver is not installed: run scripts/setup (Debian package coturn)");
        coturn = Coturn.start(SECRET);
        clients = RtcEngine.create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    /** The candidate types ("host", "srflx", "relay"...) of an SDP's {@code a=candidate} lines. */
    static List<String> candidateTypes(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("a=candidate:")).map(l -> {
            String[] tokens = l.split(" ");
            for (int i = 0; i < tokens.length - 1; i++) {
                if (tokens[i].equals("typ")) {
                    return tokens[i + 1];
                }
            }
            return "none";
        }).toList();
    }

    @Test
    void videoFlowsThroughTheRelayWhenBothSidesAreRelayOnly() throws Exception {
        CoturnSecret turn = CoturnSecret.of(SECRET, coturn.url());
        Stream stream = Stream.builder()
                .video((frame, inputs) -> frame.flipVertical())
                .iceConfig(turn.credentials("server", Duration.ofHours(1))
                        .withIceTransportPolicy(IceConfig.TransportPolicy.RELAY).toIceConfig())
                .rtcConfiguration(() -> turn.credentials("client", Duration.ofMinutes(10))
                        .withIceTransportPolicy(IceConfig.TransportPolicy.RELAY))
                .build();
        try (StreamServer server = StreamServer.start(stream)) {
            // The client configures itself from the route, as a browser front end does.
            String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/webrtc/rtc-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            RtcConfiguration clientConfig = RtcConfiguration.fromJson(json);
            assertThat(clientConfig.iceTransportPolicy()).isEqualTo(IceConfig.TransportPolicy.RELAY);
            assertThat(clientConfig.iceServers().get(0).username()).endsWith(":client");

            try (TestPeer peer = new TestPeer(clients, "relay", clientConfig.toIceConfig())) {
                peer.sendVideo(30, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
                String offer = peer.offer();
                assertThat(candidateTypes(offer)).as(offer).isNotEmpty().containsOnly("relay");

                Signaling.Reply reply = Signaling.offer(server.offerUrl(), "relay-1", offer);
                assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
                String answer = reply.json().get("sdp").asText();
                assertThat(candidateTypes(answer)).as(answer).isNotEmpty().containsOnly("relay");
                peer.accept(answer);

                assertThat(peer.awaitConnected(Duration.ofSeconds(15))).as(coturn.log()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 15);
                assertThat(Patterns.rampError(peer.lastFrame(), true)).isLessThan(8);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(peer.selectedCandidateTypes()).isEqualTo("relay/relay"));
            }
        }
    }

    @Test
    void withTheDefaultPolicyHostCandidatesComeToo() throws Exception {
        // Shows the relay checks above can fail: without RELAY the same TURN server adds relay
        // candidates to host ones, and ICE selects the direct host pair.
        IceConfig all = CoturnSecret.of(SECRET, coturn.url()).fetch().toIceConfig();
        Stream stream = Stream.builder().video((frame, inputs) -> frame.flipVertical()).build();
        try (StreamServer server = StreamServer.start(stream);
             TestPeer peer = new TestPeer(clients, "all", all)) {
            peer.sendVideo(30, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
            String offer = peer.offer();
            assertThat(candidateTypes(offer)).as(offer).contains("host", "relay");
            Signaling.Reply reply = Signaling.offer(server.offerUrl(), "all-1", offer);
            assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
            peer.accept(reply.json().get("sdp").asText());
            assertThat(peer.awaitConnected(Duration.ofSeconds(15))).isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(peer.selectedCandidateTypes()).isEqualTo("host/host"));
        }
    }
}
