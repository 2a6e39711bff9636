package io.fastrtc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.handler.Context;
import io.fastrtc.stream.Caller;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Signaling.Reply;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Slider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Who may connect, and that a connection's follow-ups are reachable only by whoever opened it. */
class AccessControlTest {

    static final RtcEngine clients = Clients.engine();
    static final String LINE = "candidate:1 1 udp 2122260223 10.77.0.2 40000 typ host";

    static Stream.Builder slider() {
        return Stream.builder().video((frame, in) -> frame).additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .concurrencyLimit(4);
    }

    static TestPeer channelOnly(String name) {
        return new TestPeer(clients, name).dataChannel("text");
    }

    static String input(String webrtcId, double value) {
        return "{\"webrtc_id\":\"" + webrtcId + "\",\"values\":[" + value + "]}";
    }

    /** The request an app's own route would see from this client. */
    static Request requestOf(Signaling.Client client, Map<String, List<String>> headers) {
        String cookie = client.cookie("fastrtc_client");
        return new Request("POST", "/input_hook", headers, cookie == null ? Map.of() : Map.of("fastrtc_client", cookie),
                Map.of(), "127.0.0.1");
    }

    @Test
    void withoutAnAuthorizerAConnectionBelongsToTheBrowserThatOpenedIt() throws Exception {
        Stream stream = slider().build();
        try (StreamServer server = StreamServer.startWithUi(stream);
                TestPeer b1 = channelOnly("b1"); TestPeer a1 = channelOnly("a1"); TestPeer a2 = channelOnly("a2")) {
            String offer = server.offerUrl();
            Signaling.Client alice = Signaling.browser();
            Signaling.Client bob = Signaling.browser();
            assertThat(bob.offer(offer, "bob-1", b1.offer()).isAnswer()).isTrue();

            // A first offer without the cookie: the answer sets it, for this and later connections.
            Reply first = alice.offer(offer, "alice-1", a1.offer());
            assertThat(first.isAnswer()).isTrue();
            assertThat(first.token()).hasSize(22);
            assertThat(first.header("Set-Cookie")).matches("fastrtc_client=[A-Za-z0-9_-]{22}; Path=/; HttpOnly;"
                    + " SameSite=Strict");
            assertThat(alice.cookie("fastrtc_client")).isNotNull().isNotEqualTo(bob.cookie("fastrtc_client"));
            Reply second = alice.offer(offer, "alice-2", a2.offer());
            assertThat(second.header("Set-Cookie")).as("the cookie is set once").isNull();

            assertThat(bob.trickle(offer, "alice-2", LINE).error()).isEqualTo("unknown_connection");
            assertThat(alice.trickle(offer, "alice-2", LINE).json().path("status").asText()).isEqualTo("success");

            Reply stolenInput = bob.post(server.url("/ui/input"), input("alice-2", 0.9));
            assertThat(stolenInput.status()).isEqualTo(404);
            assertThat(stolenInput.json().path("error").asText()).isEqualTo("unknown_connection");
            assertThat(bob.get(server.url("/ui/outputs?webrtc_id=alice-2")).status()).isEqualTo(404);
            assertThat(stream.inputs("alice-2").asList()).containsExactly(0.3);
            assertThat(alice.post(server.url("/ui/input"), input("alice-2", 0.9)).status()).isEqualTo(200);
            assertThat(stream.inputs("alice-2").asList()).containsExactly(0.9);

            // An app's own input hook, acting for the request.
            Caller bobCalls = stream.authorize(requestOf(bob, Map.of()));
            assertThat(bobCalls.owns("alice-2")).isFalse();
            assertThat(bobCalls.owns("bob-1")).isTrue();
            assertThatThrownBy(() -> bobCalls.setInput("alice-2", 0.1)).isInstanceOf(UnknownConnectionException.class)
                    .hasMessageContaining("no open connection has webrtc_id 'alice-2'");
            assertThatThrownBy(() -> bobCalls.outputStream("alice-2")).isInstanceOf(UnknownConnectionException.class);
            stream.authorize(requestOf(alice, Map.of())).setInput("alice-2", 0.2);
            assertThat(stream.inputs("alice-2").asList()).containsExactly(0.2);

            // The connection's token proves ownership from anywhere, as a header or query parameter.
            assertThat(bob.withHeader("X-FastRTC-Token", second.token()).trickle(offer, "alice-2", LINE)
                    .json().path("status").asText()).isEqualTo("success");
            Request byQuery = new Request("GET", "/ui/outputs", Map.of(), Map.of(),
                    Map.of("fastrtc_token", List.of(second.token())), "192.0.2.1");
            assertThat(stream.authorize(byQuery).owns("alice-2")).isTrue();
            assertThat(bob.withHeader("X-FastRTC-Token", first.token()).trickle(offer, "alice-2", LINE).error())
                    .as("another connection's token").isEqualTo("unknown_connection");

            // A client without cookies: it cannot reach a connection opened with a cookie; one opened
            // without (alice-1) it reaches from the same address (the documented weak spot).
            assertThat(Signaling.post(offer, Signaling.candidate("alice-2", LINE)).error()).isEqualTo("unknown_connection");
            assertThat(Signaling.post(offer, Signaling.candidate("alice-1", LINE)).json().path("status").asText())
                    .isEqualTo("success");
            Request elsewhere = new Request("POST", "/input_hook", Map.of(), Map.of(), Map.of(), "192.0.2.1");
            assertThat(stream.authorize(elsewhere).owns("alice-1")).isFalse();

            // The application's own code is trusted with every connection.
            stream.setInput("alice-2", 0.4);
            assertThat(stream.inputs("alice-2").asList()).containsExactly(0.4);
        }
    }

    @Test
    void withAnAuthorizerTheConnectionBelongsToItsPrincipal() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Stream stream = Stream.builder()
                .video((frame, in) -> {
                    Context.current().flatMap(Context::principal).ifPresent(seen::set);
                    return frame.flipVertical();
                })
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .concurrencyLimit(3)
                .authorizer(request -> {
                    String token = request.bearerToken();
                    if (token == null) {
                        throw AccessDenied.unauthorized("send a bearer token");
                    }
                    if (token.equals("mallory")) {
                        throw AccessDenied.forbidden("banned");
                    }
                    return token;
                })
                .build();
        try (StreamServer server = StreamServer.startWithUi(stream);
                TestPeer peer = new TestPeer(clients, "alice").sendVideo(15, n -> Patterns.verticalRamp(64, 48))
                        .dataChannel("text");
                TestPeer other = channelOnly("other")) {
            String offer = server.offerUrl();
            Reply anonymous = Signaling.offer(offer, "anon", other.offer());
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.json().toString()).isEqualTo(
                    "{\"status\":\"failed\",\"meta\":{\"error\":\"unauthorized\",\"message\":\"send a bearer token\"}}");
            Signaling.Client mallory = Signaling.browser().withHeader("Authorization", "Bearer mallory");
            assertThat(mallory.offer(offer, "m", other.offer()).status()).isEqualTo(403);
            assertThat(stream.connectionIds()).isEmpty();

            Signaling.Client alice = Signaling.browser().withHeader("Authorization", "Bearer alice");
            Signaling.Client bob = Signaling.browser().withHeader("Authorization", "Bearer bob");
            Reply answer = alice.connect(peer, offer, "alice-cam");
            assertThat(answer.isAnswer()).as(answer.toString()).isTrue();
            assertThat(answer.header("Set-Cookie")).as("the principal binds; no cookie needed").isNull();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();

            assertThat(bob.trickle(offer, "alice-cam", LINE).error()).isEqualTo("unknown_connection");
            assertThat(alice.trickle(offer, "alice-cam", LINE).json().path("status").asText()).isEqualTo("success");
            assertThat(bob.post(server.url("/ui/input"), input("alice-cam", 0.8)).status()).isEqualTo(404);
            Reply noToken = Signaling.post(server.url("/ui/input"), input("alice-cam", 0.8));
            assertThat(noToken.status()).isEqualTo(401);
            assertThat(noToken.json().path("error").asText()).isEqualTo("unauthorized");
            assertThat(alice.post(server.url("/ui/input"), input("alice-cam", 0.8)).status()).isEqualTo(200);
            assertThat(stream.inputs("alice-cam").asList()).containsExactly(0.8);
            assertThat(Signaling.browser().get(server.url("/webrtc/rtc-configuration")).status()).isEqualTo(401);
            assertThat(alice.get(server.url("/webrtc/rtc-configuration")).status()).isEqualTo(200);

            Caller asBob = stream.authorize(new Request("GET", "/x", Map.of("Authorization", List.of("Bearer bob")),
                    Map.of(), Map.of(), "127.0.0.1"));
            assertThat(asBob.principal()).hasValue("bob");
            assertThat(asBob.owns("alice-cam")).isFalse();
            assertThatThrownBy(() -> stream.authorize(Request.NONE)).isInstanceOfSatisfying(AccessDenied.class,
                    e -> assertThat(e.status()).isEqualTo(401));

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "alice".equals(seen.get()));
        }
    }

    @Test
    void aFailingAuthorizerAdmitsNobodyAndSaysNothingAboutWhy() throws Exception {
        Stream broken = Stream.builder().video((f, in) -> f).authorizer(request -> {
            throw new IllegalStateException("database at 10.0.0.5:5432 refused the connection");
        }).build();
        Stream silent = Stream.builder().video((f, in) -> f).authorizer(request -> null).build();
        try (StreamServer a = StreamServer.start(broken); StreamServer b = StreamServer.start(silent);
                TestPeer peer = channelOnly("x")) {
            String sdp = peer.offer();
            Reply failed = Signaling.offer(a.offerUrl(), "x", sdp);
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.error()).isEqualTo("server_error");
            assertThat(failed.json().toString()).doesNotContain("10.0.0.5").doesNotContain("Exception");
            assertThat(Signaling.offer(b.offerUrl(), "x", sdp).status()).isEqualTo(401);
            assertThat(broken.connectionIds()).isEmpty();
            assertThat(silent.connectionIds()).isEmpty();
        }
    }

    @Test
    void aWebSocketUpgradeFromAnotherSitesPageIsRefused() {
        try (Stream stream = Stream.builder().video((f, in) -> f).build()) {
            Map<String, List<String>> evil = Map.of("Upgrade", List.of("websocket"), "Origin",
                    List.of("https://evil.example"), "Host", List.of("voice.example.com"));
            assertThatThrownBy(() -> stream.authorize(new Request("GET", "/websocket/offer", evil, Map.of(), Map.of(),
                    "192.0.2.1"))).isInstanceOfSatisfying(AccessDenied.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.code()).isEqualTo("origin_not_allowed");
                    });
            Map<String, List<String>> own = Map.of("Upgrade", List.of("websocket"), "Origin",
                    List.of("https://voice.example.com"), "Host", List.of("voice.example.com"));
            assertThat(stream.authorize(new Request("GET", "/websocket/offer", own, Map.of(), Map.of(), "192.0.2.1"))
                    .principal()).isEmpty();
            // Twilio and other servers send no Origin.
            assertThat(stream.authorize(new Request("GET", "/telephone/handler", Map.of("Upgrade", List.of("websocket")),
                    Map.of(), Map.of(), "192.0.2.1"))).isNotNull();
        }
    }
}
