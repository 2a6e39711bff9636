package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Authorizer;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.SocketCaller;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The starter's WebSockets and Twilio webhook on a real server (Spring's, on a random port), driven
 * by the socket clients of the transport tests: the same protocol and close codes as on Javalin.
 */
@SpringBootTest(classes = FastRtcSocketsTest.EchoApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fastrtc.path=/api", "fastrtc.concurrency-limit=1"})
class FastRtcSocketsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SID = "MZ0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An audio stream that plays back what it hears, to anyone but {@code ?deny=1}. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class EchoApp {
        @Bean
        Stream stream(Stream.Builder fastrtc) {
            return fastrtc.audio(new EchoHandler(16000)).build();
        }

        @Bean
        Authorizer authorizer() {
            return request -> {
                if (request.queryParam("deny") != null) {
                    throw AccessDenied.forbidden("not for you");
                }
                return "anyone";
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Stream stream;

    private String ws(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    @AfterEach
    void sessionsEnd() {
        await().atMost(WAIT).until(() -> stream.connectionIds().isEmpty());
    }

    /** Half a second of a loud 440 Hz tone. */
    private static AudioFrame tone() {
        short[] s = new short[8000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000));
        }
        return AudioFrame.ofPcm16(16000, 1, s);
    }

    /** Twilio's voice webhook, with a form body. */
    private HttpResponse<String> incomingCall(String query, String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/telephone/incoming" + query))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long loudMedia(SocketCaller caller) {
        return caller.media().stream().filter(m -> m.rms() > 1500).count();
    }

    @Test
    void aWebSocketClientHearsItsAudioEchoed() throws Exception {
        try (SocketCaller caller = SocketCaller.fastrtc(ws("/api/websocket/offer"), 16000, 24000)) {
            caller.say(tone());
            caller.start("spring-ws", Map.of());
            await().atMost(WAIT).until(() -> stream.connectionIds().contains("spring-ws"));
            // 20 ms messages of 24 kHz µ-law: 480 samples, and the tone in them.
            await().atMost(WAIT).until(() -> loudMedia(caller) >= 10);
            assertThat(caller.media().get(0).samples()).isEqualTo(480);

            // A frame over Tomcat's default 8 KiB still reaches the session (a ping, padded).
            caller.send("{\"event\":\"ping\",\"padding\":\"" + "x".repeat(20_000) + "\"}");
            assertThat(caller.awaitMessage("pong", WAIT)).isNotNull();
            caller.stop();
            assertThat(caller.awaitClosed(WAIT).code()).isEqualTo(1000);
        }
    }

    @Test
    void theConcurrencyLimitRefusesASecondSocketWithFastRtcsFailure() throws Exception {
        try (SocketCaller first = SocketCaller.fastrtc(ws("/api/websocket/offer"), 16000, 24000);
                SocketCaller second = SocketCaller.fastrtc(ws("/api/websocket/offer"), 16000, 24000)) {
            first.start("first", Map.of());
            await().atMost(WAIT).until(() -> stream.connectionIds().contains("first"));
            second.start("second", Map.of());
            assertThat(second.awaitMessage("failed", WAIT)).isEqualTo(
                    "{\"status\":\"failed\",\"meta\":{\"error\":\"concurrency_limit_reached\",\"limit\":1}}");
            assertThat(second.awaitClosed(WAIT).code()).isEqualTo(1013);
            assertThat(stream.connectionIds()).containsExactly("first");
            first.stop();
        }
    }

    @Test
    void theAuthorizerBeanDecidesOnSocketsAndTheWebhook() throws Exception {
        for (String path : new String[] {"/api/websocket/offer?deny=1", "/api/telephone/handler?deny=1"}) {
            try (SocketCaller refused = SocketCaller.fastrtc(ws(path), 16000, 24000)) {
                SocketCaller.Closed closed = refused.awaitClosed(WAIT);
                assertThat(closed.code()).as(path).isEqualTo(1008);
                assertThat(closed.reason()).as(path).isEqualTo("not for you");
            }
        }
        HttpResponse<String> denied = incomingCall("?deny=1", "CallSid=CA01");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(denied.body()).contains("not for you");
    }

    @Test
    void theStreamsOriginRuleDecidesOnSockets() throws Exception {
        // Spring's own origin check would refuse the handshake with 403; the stream's closes with 1008, as on Javalin.
        try (SocketCaller foreign = SocketCaller.fastrtc(ws("/api/websocket/offer"),
                Map.of("Origin", "https://elsewhere.example.com"), 16000, 24000)) {
            SocketCaller.Closed closed = foreign.awaitClosed(WAIT);
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("origin");
        }
        // A forwarded host that matches the foreign origin counts only from a trusted proxy (none here).
        try (SocketCaller forged = SocketCaller.fastrtc(ws("/api/websocket/offer"), FORGED, 16000, 24000)) {
            SocketCaller.Closed closed = forged.awaitClosed(WAIT);
            assertThat(closed).as("the socket is refused").isNotNull();
            assertThat(closed.code()).isEqualTo(1008);
        }
    }

    /** A foreign origin with the forwarded headers a proxy in front of that origin would send. */
    static final Map<String, String> FORGED = Map.of("Origin", "https://elsewhere.example.com",
            "X-Forwarded-Host", "elsewhere.example.com", "X-Forwarded-Proto", "https");

    @Test
    void aPhoneCallIsAnsweredWithTwimlAndItsMediaStreamEchoedWithMarks() throws Exception {
        HttpResponse<String> twiml = incomingCall("", "CallSid=CA01&From=%2B14155550100&To=%2B14155550199");
        assertThat(twiml.statusCode()).isEqualTo(200);
        assertThat(twiml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        assertThat(twiml.body()).contains("<Connect><Stream url=\"" + ws("/api/telephone/handler") + "\">"
                + "<Parameter name=\"From\" value=\"+14155550100\" /><Parameter name=\"To\" value=\"+14155550199\" />");

        try (SocketCaller call = SocketCaller.twilio(ws("/api/telephone/handler"), Map.of())) {
            call.say(tone());
            call.start(SID, Map.of());
            await().atMost(WAIT).until(() -> stream.connectionIds().contains(SID));
            await().atMost(WAIT).until(() -> !call.speaking());
            call.muteMicrophone(); // the echo ends, so a mark follows its audio
            await().atMost(WAIT).until(() -> !call.markEchoes().isEmpty());
            assertThat(loudMedia(call)).as("the tone came back").isGreaterThanOrEqualTo(10);
            assertThat(call.media().get(0).samples()).as("20 ms of 8 kHz µ-law").isEqualTo(160);
            for (String m : call.received()) {
                JsonNode event = JSON.readTree(m);
                assertThat(event.path("event").asText()).as(m).isIn("media", "mark");
                assertThat(event.path("streamSid").asText()).as(m).isEqualTo(SID);
            }

            // One call at a time: a second is refused with 1013 and, on Twilio's socket, no FastRTC JSON.
            try (SocketCaller second = SocketCaller.twilio(ws("/api/telephone/handler"), Map.of())) {
                second.muteMicrophone();
                second.start("MZsecond", Map.of());
                assertThat(second.awaitClosed(WAIT).code()).isEqualTo(1013);
                assertThat(second.received()).isEmpty();
            }
            call.stop();
            assertThat(call.awaitClosed(WAIT).code()).isEqualTo(1000);
        }
    }
}
