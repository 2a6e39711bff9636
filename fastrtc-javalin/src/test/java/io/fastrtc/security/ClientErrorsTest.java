package io.fastrtc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.handler.Emit;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.LogCapture;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Label;
import io.fastrtc.ui.Slider;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What clients see when something is wrong with what they sent, or with what the app gives the
 * library: the component's message for a bad input value, where JSON breaks but none of the parser's
 * wording, and outputs that show what Gradio's components show. Through real HTTP and sockets.
 */
class ClientErrorsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A handler that plays back what it hears and emits the outputs queued by the test. */
    static final class Publishing extends EchoHandler {
        final ConcurrentLinkedQueue<AdditionalOutputs> pending = new ConcurrentLinkedQueue<>();

        Publishing() {
            super(16000);
        }

        @Override
        public Emit emit() {
            AdditionalOutputs next = pending.poll();
            return next != null ? next : super.emit();
        }

        @Override
        public StreamHandler copy() {
            return this;
        }
    }

    /** README's {@code /input_hook}: a value the slider refuses is 422 with its message, for the owner only. */
    @Test
    void anAppRouteCallingSetInputAnswersABadValueWith422AndStrangersWith404() throws Exception {
        Stream stream = Stream.builder().audio(new EchoHandler(16000))
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.5))
                .authorizer(request -> request.header("X-User")).build();
        Javalin app = Javalin.create(cfg -> {
            cfg.registerPlugin(new FastRtcPlugin(stream));
            cfg.routes.post("/input_hook", ctx -> {
                var body = ctx.bodyAsClass(Map.class);
                stream.authorize(FastRtcPlugin.request(ctx)).setInput((String) body.get("webrtc_id"), body.get("threshold"));
            });
        });
        app.start("127.0.0.1", 0);
        String base = "http://127.0.0.1:" + app.port();
        try (SocketCaller alice = SocketCaller.fastrtc("ws://127.0.0.1:" + app.port() + "/websocket/offer",
                Map.of("X-User", "alice"), 16000, 24000); LogCapture log = LogCapture.of("io.fastrtc")) {
            alice.send("{\"event\":\"start\",\"websocket_id\":\"hook-1\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("hook-1"));
            Map<String, String> asAlice = Map.of("X-User", "alice");

            for (String bad : new String[] {"\"x\"", "7"}) {
                HttpResponse<String> refused = post(base + "/input_hook",
                        "{\"webrtc_id\":\"hook-1\",\"threshold\":" + bad + "}", asAlice);
                assertThat(refused.statusCode()).as(bad).isEqualTo(422);
                assertThat(refused.body()).as(bad).startsWith("{").contains("\"error\":\"invalid_input\"")
                        .contains("slider 'Threshold' takes a number from 0.0 to 1.0; got " + bad.replace("\"", "\\\""));
            }
            assertThat(post(base + "/input_hook", "{\"webrtc_id\":\"hook-1\",\"threshold\":0.7}", asAlice).statusCode())
                    .isEqualTo(200);
            assertThat(stream.inputs("hook-1").getDouble(0)).isEqualTo(0.7);

            // Someone else's connection does not exist for them, whatever value they send.
            HttpResponse<String> stranger = post(base + "/input_hook", "{\"webrtc_id\":\"hook-1\",\"threshold\":\"x\"}",
                    Map.of("X-User", "mallory"));
            assertThat(stranger.statusCode()).isEqualTo(404);
            assertThat(stranger.body()).doesNotContain("slider");
            assertThat(log.lines()).noneMatch(l -> l.contains("IllegalArgumentException") || l.contains("slider"));
        } finally {
            stream.close();
            app.stop();
        }
    }

    /** Where the JSON breaks, but none of Jackson's wording ("start marker at [Source: REDACTED ..."). */
    @Test
    void malformedJsonIsReportedWithoutTheParsersText() throws Exception {
        Stream stream = Stream.builder().audio(new EchoHandler(16000)).additionalInputs(Slider.of("T", 0, 1, 0.5))
                .build();
        try (StreamServer server = StreamServer.startWithUi(stream)) {
            String deep = "[".repeat(100) + "]".repeat(100);
            for (String route : List.of("/webrtc/offer", "/ui/input")) {
                for (String body : List.of("{\"type\":\"offer\"", "{\"webrtc_id\":'x'}", deep)) {
                    HttpResponse<String> reply = post(server.url(route), body, Map.of());
                    assertThat(reply.statusCode()).as(route + " " + body).isEqualTo(422);
                    assertThat(reply.body()).as(route + " " + body).contains("invalid_json")
                            .doesNotContain("Source").doesNotContain("marker").doesNotContain("REDACTED")
                            .doesNotContain("Unexpected").doesNotContain("`").doesNotContain("Constraints")
                            .doesNotContain("'x'");
                }
                assertThat(post(server.url(route), "{\"type\":\"offer\"", Map.of()).body())
                        .contains("request body is not valid JSON (line 1, column 16)");
            }
        }
    }

    /**
     * An offer libwebrtc refuses (a line it cannot parse, no DTLS fingerprint) gets a fixed message
     * and an error id; libwebrtc's own wording, which quotes the offer's lines, is only in the log.
     */
    @Test
    void anOfferLibwebrtcRefusesIsReportedWithoutItsText() throws Exception {
        String real;
        try (TestPeer peer = new TestPeer(Clients.engine(), "sdp").sendVideo(15, n -> Patterns.verticalRamp(160, 120))
                .dataChannel("text")) {
            real = peer.offer();
        }
        // Each offer, and what libwebrtc says about it: in the log, never in the reply.
        Map<String, String[]> refused = new LinkedHashMap<>();
        refused.put("garbled media line", new String[] {real.replaceFirst("m=video [^\\r\\n]*", "m=video x y z"),
                "m=video x y z"});
        refused.put("no fingerprint", new String[] {real.replaceAll("a=fingerprint:[^\\r\\n]*\\r\\n", ""),
                "fingerprint"});
        Stream stream = Stream.builder().video((f, in) -> f).build();
        try (StreamServer server = StreamServer.start(stream); LogCapture log = LogCapture.of("io.fastrtc")) {
            for (Map.Entry<String, String[]> c : refused.entrySet()) {
                String libwebrtcSays = c.getValue()[1];
                Signaling.Reply reply = Signaling.offer(server.offerUrl(), "bad-sdp", c.getValue()[0]);
                assertThat(reply.status()).as(c.getKey() + ": " + reply).isEqualTo(400);
                assertThat(reply.error()).as(c.getKey()).isEqualTo("invalid_sdp");
                String message = reply.json().path("meta").path("message").asText();
                Matcher id = Pattern.compile("^the offer is not a valid WebRTC SDP offer; send the SDP your"
                        + " RTCPeerConnection created \\(error id ([0-9a-f]{8})\\)$").matcher(message);
                assertThat(id.matches()).as(c.getKey() + ": " + message).isTrue();
                assertThat(reply.json().toString()).as(c.getKey()).doesNotContain(libwebrtcSays)
                        .doesNotContain("description failed").doesNotContain("Failed to");
                assertThat(log.lines()).as(c.getKey())
                        .anyMatch(l -> l.contains("error id " + id.group(1)) && l.contains(libwebrtcSays));
            }
            assertThat(stream.connectionIds()).isEmpty();
        }
    }

    /**
     * An engine that cannot set up the connection is the server's fault, not the offer's: 500 with an
     * error id (here a TURN server without credentials, on which libwebrtc would abort the JVM), while an offer libwebrtc
     * refuses stays a 400 (above).
     */
    @Test
    void anEngineFailureOnAGoodOfferIsA500WithAnErrorIdNotInvalidSdp() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f)
                .iceServers(io.fastrtc.ice.IceServer.of("turn:10.77.0.1:3478")).build();
        try (StreamServer server = StreamServer.start(stream); LogCapture log = LogCapture.of("io.fastrtc");
                TestPeer peer = new TestPeer(Clients.engine(), "good-offer").dataChannel("text")) {
            Signaling.Reply reply = Signaling.offer(server.offerUrl(), "good-offer", peer.offer());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(500);
            assertThat(reply.error()).isEqualTo("server_error");
            String id = errorId(reply.json().path("meta").path("message").asText(), "the offer could not be answered");
            assertThat(reply.json().toString()).doesNotContain("libwebrtc").doesNotContain("ICE").doesNotContain("Exception");
            assertThat(log.lines()).anyMatch(l -> l.contains("[error id " + id + "]") && l.contains("EngineException")
                    && l.contains("has no username or credential"));
            assertThat(stream.connectionIds()).as("the slot is not kept").isEmpty();
        }
        // A STUN server needs no credentials.
        Stream stun = Stream.builder().video((f, in) -> f).iceServers(io.fastrtc.ice.IceServer.of("stun:10.77.0.1:3478"))
                .build();
        try (StreamServer server = StreamServer.start(stun);
                TestPeer peer = new TestPeer(Clients.engine(), "stun-offer").dataChannel("text")) {
            assertThat(Signaling.offer(server.offerUrl(), "stun-offer", peer.offer()).isAnswer()).isTrue();
        }
    }

    /** Failures in the app's pieces the routes call (authorizer, ICE provider): 500, an error id, the trace in the log. */
    @Test
    void unexpectedFailuresBehindTheRoutesAnswer500WithOnlyAnErrorId() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f)
                .authorizer(request -> {
                    if (request.path().endsWith("/offer")) {
                        throw new IllegalStateException("database at 10.0.0.5:5432 refused the connection");
                    }
                    return "anyone";
                })
                .rtcConfiguration(() -> {
                    throw new IllegalStateException("https://turn.internal/credentials answered 401");
                }).build();
        try (StreamServer server = StreamServer.start(stream); LogCapture log = LogCapture.of("io.fastrtc");
                TestPeer peer = new TestPeer(Clients.engine(), "x").dataChannel("text")) {
            Signaling.Reply offer = Signaling.offer(server.offerUrl(), "x", peer.offer());
            assertThat(offer.status()).isEqualTo(500);
            assertThat(offer.error()).isEqualTo("server_error");
            String offerId = errorId(offer.json().path("meta").path("message").asText(), "the request could not be authorized");
            assertThat(offer.json().toString()).doesNotContain("10.0.0.5").doesNotContain("Exception");

            HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(URI.create(server.url(
                    "/webrtc/rtc-configuration"))).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(config.statusCode()).isEqualTo(500);
            String configId = errorId(new com.fasterxml.jackson.databind.ObjectMapper().readTree(config.body())
                    .path("error").asText(), "the ICE configuration is not available right now");
            assertThat(config.body()).doesNotContain("turn.internal");

            assertThat(offerId).isNotEqualTo(configId);
            assertThat(log.lines()).anyMatch(l -> l.contains("[error id " + offerId + "]") && l.contains("10.0.0.5"));
            assertThat(log.lines()).anyMatch(l -> l.contains("[error id " + configId + "]") && l.contains("turn.internal"));
        }
    }

    /** The error id in a client's message {@code "<what> (error id 0123abcd)"}. */
    private static String errorId(String message, String what) {
        Matcher m = Pattern.compile("^" + Pattern.quote(what) + " \\(error id ([0-9a-f]{8})\\)$").matcher(message);
        assertThat(m.matches()).as(message).isTrue();
        return m.group(1);
    }

    /** Gradio's Label takes numbers; a value it cannot show is logged once, not sent as an error per event. */
    @Test
    void aLabelShowsNumbersAndAnUnshowableValueIsLoggedOnce() throws Exception {
        Publishing handler = new Publishing();
        Stream stream = Stream.builder().audio(handler).additionalOutputs(Label.of("Heading")).build();
        try (StreamServer server = StreamServer.startWithUi(stream);
                SocketCaller caller = SocketCaller.fastrtc(server.url("/websocket/offer").replace("http:", "ws:"),
                        16000, 24000);
                LogCapture log = LogCapture.of("io.fastrtc.stream.WebUiEndpoints")) {
            caller.send("{\"event\":\"start\",\"websocket_id\":\"lab\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("lab"));
            // Two pages on one connection: each shows every event, the log has one line for both.
            try (EventStream events = EventStream.open(server.url("/ui/outputs?webrtc_id=lab"));
                    EventStream other = EventStream.open(server.url("/ui/outputs?webrtc_id=lab"))) {
                assertThat(events.status()).isEqualTo(200);
                assertThat(other.status()).isEqualTo(200);
                handler.pending.add(AdditionalOutputs.of(90));
                assertThat(String.valueOf(events.nextOutput(Duration.ofSeconds(10)))).isEqualTo("[{\"label\":\"90\"}]");
                handler.pending.add(AdditionalOutputs.of(0.75));
                assertThat(String.valueOf(events.nextOutput(Duration.ofSeconds(10)))).isEqualTo("[{\"label\":\"0.75\"}]");
                for (int i = 0; i < 3; i++) {
                    handler.pending.add(AdditionalOutputs.of(List.of(1, 2)));
                }
                handler.pending.add(AdditionalOutputs.of(Map.of("cat", 1)));
                for (EventStream feed : List.of(events, other)) {
                    List<String> shown = new java.util.ArrayList<>();
                    EventStream.Event e;
                    while ((e = feed.next(Duration.ofSeconds(10))) != null && !e.data().contains("cat")) {
                        assertThat(e.name()).isEqualTo("output"); // no output-error
                        shown.add(e.data());
                    }
                    assertThat(e).isNotNull();
                    assertThat(e.data()).isEqualTo(
                            "[{\"label\":\"cat\",\"confidences\":[{\"label\":\"cat\",\"confidence\":1.0}]}]");
                    // The unshowable values leave the label as it was.
                    assertThat(shown).endsWith("[{\"label\":\"0.75\"}]", "[{\"label\":\"0.75\"}]", "[{\"label\":\"0.75\"}]");
                }
            }
            assertThat(log.lines().stream().filter(l -> l.contains("'Heading'"))).hasSize(1)
                    .allMatch(l -> l.contains("cannot show") && !l.contains("Exception"));
        }
    }
}
