package io.fastrtc.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.LogCapture;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Chatbot.Message;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web UI's HTTP routes, without a browser: page, configuration, input and output hooks. */
class WebUiRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static RtcEngine clients;

    @BeforeAll
    static void engines() {
        clients = RtcEngine.create();
    }

    @AfterAll
    static void closeEngines() {
        clients.close();
    }

    /** A stream at /api and its UI at /tools/ui on one app. */
    record Served(Stream stream, Javalin app) implements AutoCloseable {
        static Served of(Stream stream, UiOptions options) {
            Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, p -> {
                p.path = "/api";
                p.uiPath = "/tools/ui";
                p.uiOptions = options;
            })));
            app.start("127.0.0.1", 0);
            return new Served(stream, app);
        }

        String url(String path) {
            return "http://127.0.0.1:" + app.port() + path;
        }

        @Override
        public void close() {
            stream.close();
            app.stop();
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndDescribesTheStream() throws Exception {
        Chatbot chat = Chatbot.of("Conversation");
        Stream stream = Stream.builder()
                .video((frame, in) -> frame)
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3), chat)
                .additionalOutputs(chat, Label.of("Scene"))
                .timeLimit(Duration.ofSeconds(90))
                .concurrencyLimit(3)
                .build();
        Path icon = Files.createTempFile("fastrtc-icon", ".png");
        Files.write(icon, Base64.getDecoder().decode(((String) Image.of("I").toClient(
                Patterns.verticalRamp(8, 8).toImage())).substring("data:image/png;base64,".length())));
        UiOptions options = UiOptions.builder().title("Flip").pulseColor("#ff6a00").sendInputOn(UiOptions.SendInputOn.SUBMIT)
                .icon(icon.toString()).build();
        try (Served s = Served.of(stream, options)) {
            HttpResponse<String> redirect = get(s.url("/tools/ui"));
            assertThat(redirect.statusCode()).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location")).hasValue("ui/");

            HttpResponse<String> page = get(s.url("/tools/ui/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("assets/app.js").contains("assets/style.css");

            HttpResponse<String> js = get(s.url("/tools/ui/assets/app.js"));
            assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
            assertThat(js.body()).contains("import");
            assertThat(get(s.url("/tools/ui/assets/..%2Fpom.xml")).statusCode()).isEqualTo(404);
            assertThat(get(s.url("/tools/ui/assets/nothing.js")).statusCode()).isEqualTo(404);

            JsonNode config = JSON.readTree(get(s.url("/tools/ui/config")).body());
            assertThat(config.get("modality").asText()).isEqualTo("video");
            assertThat(config.get("mode").asText()).isEqualTo("send-receive");
            // Relative to the page at /tools/ui/, so that a proxy may add a prefix.
            assertThat(config.get("offerUrl").asText()).isEqualTo("../../api/webrtc/offer");
            assertThat(config.get("timeLimit").asDouble()).isEqualTo(90.0);
            assertThat(config.get("concurrencyLimit").asInt()).isEqualTo(3);
            assertThat(config.get("rtcConfigurationUrl").asText()).isEqualTo("../../api/webrtc/rtc-configuration");
            HttpResponse<String> rtc = get(s.url("/api/webrtc/rtc-configuration"));
            assertThat(JSON.readTree(rtc.body()).get("iceServers").isArray()).isTrue();
            assertThat(config.at("/inputs/0/type").asText()).isEqualTo("slider");
            assertThat(config.at("/inputs/0/maximum").asDouble()).isEqualTo(1.0);
            assertThat(config.at("/outputs/0/type").asText()).isEqualTo("chatbot");
            assertThat(config.at("/outputs/0/input").asInt()).as("the chatbot is also input 1").isEqualTo(1);
            assertThat(config.at("/outputs/1/type").asText()).isEqualTo("label");
            assertThat(config.at("/outputs/1/input").isMissingNode()).isTrue();
            assertThat(config.at("/ui/title").asText()).isEqualTo("Flip");
            assertThat(config.at("/ui/pulseColor").asText()).isEqualTo("#ff6a00");
            assertThat(config.at("/ui/sendInputOn").asText()).isEqualTo("submit");
            assertThat(config.at("/ui/fullScreen").asBoolean()).isTrue();
            // A local icon file is served by the UI; a URL would be passed on as it is.
            assertThat(config.at("/ui/icon").asText()).isEqualTo("icon");
            HttpResponse<String> served = get(s.url("/tools/ui/icon"));
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("Content-Type")).hasValue("image/png");

            // The file goes away: an unexpected failure, answered with only an error id, logged with its trace.
            Files.delete(icon);
            try (LogCapture log = LogCapture.of("io.fastrtc")) {
                HttpResponse<String> failed = get(s.url("/tools/ui/icon"));
                assertThat(failed.statusCode()).isEqualTo(500);
                assertError(failed, 500, "server_error");
                Matcher id = Pattern.compile("^the request failed \\(error id ([0-9a-f]{8})\\)$")
                        .matcher(JSON.readTree(failed.body()).get("message").asText());
                assertThat(id.matches()).as(failed.body()).isTrue();
                assertThat(failed.body()).doesNotContain("fastrtc-icon").doesNotContain("Exception");
                assertThat(log.lines()).anyMatch(l -> l.contains("GET /tools/ui/icon failed [error id " + id.group(1)
                        + "]") && l.contains("NoSuchFileException"));
            }
        } finally {
            Files.deleteIfExists(icon);
        }
    }

    @Test
    void inputsAreCheckedAndReachTheConnection() throws Exception {
        Stream stream = Stream.builder()
                .video((frame, in) -> frame)
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3), Checkbox.of("Mirror", false))
                .build();
        try (Served s = Served.of(stream, UiOptions.defaults());
                TestPeer peer = new TestPeer(clients, "inputs").sendVideo(10, n -> Patterns.verticalRamp(64, 48))
                        .dataChannel("text")) {
            String url = s.url("/tools/ui/input");
            assertError(post(url, "{not json"), 422, "invalid_json");
            assertError(post(url, "{\"values\": [0.5, true]}"), 422, "invalid_input");
            assertError(post(url, "{\"webrtc_id\": \"nobody\", \"values\": [0.5, true]}"), 404, "unknown_connection");

            assertThat(Signaling.connect(peer, s.url("/api/webrtc/offer"), "inputs").isAnswer()).isTrue();
            assertError(post(url, "{\"webrtc_id\": \"inputs\", \"values\": 0.5}"), 422, "invalid_input");
            HttpResponse<String> outOfRange = post(url, "{\"webrtc_id\": \"inputs\", \"values\": [1.5, true]}");
            assertError(outOfRange, 422, "invalid_input");
            assertThat(JSON.readTree(outOfRange.body()).get("message").asText())
                    .isEqualTo("slider 'Threshold' takes a number from 0.0 to 1.0; got 1.5");
            assertError(post(url, "{\"webrtc_id\": \"inputs\", \"values\": [0.5]}"), 422, "invalid_input");

            HttpResponse<String> ok = post(url, "{\"webrtc_id\": \"inputs\", \"values\": [0.75, true]}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(stream.inputs("inputs").asList()).containsExactly(0.75, true);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(code);
    }

    @Test
    void outputsStreamAsEventsThroughTheOutputsHandler() throws Exception {
        Chatbot chat = Chatbot.of("Chat");
        AtomicReference<String> said = new AtomicReference<>();
        Stream stream = Stream.builder()
                .video((frame, in) -> {
                    String text = said.getAndSet(null);
                    return text == null ? frame : frame.with(AdditionalOutputs.of(Message.assistant(text),
                            Map.of("cat", 0.2, "dog", 0.8)));
                })
                .additionalInputs(chat)
                .additionalOutputs(chat, Label.of("Animal"))
                .connectTimeout(Duration.ofSeconds(3)) // how long GET /outputs waits for an unknown id
                .build();
        // The handler sends one message at a time; the chatbot keeps the conversation.
        UiOptions options = UiOptions.builder().outputsHandler((current, outputs) ->
                List.of(Chatbot.append(current.get(0), (Message) outputs.get(0)), outputs.get(1))).build();
        try (Served s = Served.of(stream, options);
                TestPeer peer = new TestPeer(clients, "talk").sendVideo(15, n -> Patterns.verticalRamp(64, 48))
                        .dataChannel("text")) {
            assertThat(get(s.url("/tools/ui/outputs")).statusCode()).isEqualTo(422);
            assertThat(get(s.url("/tools/ui/outputs?webrtc_id=nobody")).statusCode()).isEqualTo(404);

            assertThat(Signaling.connect(peer, s.url("/api/webrtc/offer"), "talk").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            // The page sends its chat history as the shared input; outputs start from it.
            stream.setInput("talk", List.of(List.of(Map.of("role", "user", "content", "hello"))));

            try (EventStream events = EventStream.open(s.url("/tools/ui/outputs?webrtc_id=talk"))) {
                assertThat(events.contentType()).startsWith("text/event-stream");
                said.set("hi there");
                JsonNode first = events.nextOutput(Duration.ofSeconds(10));
                assertThat(String.valueOf(first)).isEqualTo("[[{\"role\":\"user\",\"content\":\"hello\"},"
                        + "{\"role\":\"assistant\",\"content\":\"hi there\"}],"
                        + "{\"label\":\"dog\",\"confidences\":[{\"label\":\"dog\",\"confidence\":0.8},"
                        + "{\"label\":\"cat\",\"confidence\":0.2}]}]");
                said.set("how are you?");
                JsonNode second = events.nextOutput(Duration.ofSeconds(10));
                assertThat(second.get(0)).hasSize(3);
                assertThat(second.at("/0/2/content").asText()).isEqualTo("how are you?");
            }
        }
    }

    @Test
    void outputComponentsShowTheirValues() throws Exception {
        assertThat(Label.of("L").toClient("cat")).isEqualTo(Map.of("label", "cat"));
        assertThatThrownBy(() -> Label.of("L").coerce(List.of(1))).hasMessageContaining("label 'L' takes");
        assertThat(Chatbot.of("C").coerce(List.of(Map.of("role", "user", "content", "hi"))))
                .isEqualTo(List.of(Message.user("hi")));
        assertThatThrownBy(() -> Chatbot.of("C").coerce(List.of(Map.of("role", "robot"))))
                .hasMessageContaining("chatbot 'C' takes a list of {role, content} messages");
        String png = (String) Image.of("I").toClient(Patterns.verticalRamp(16, 8).toImage());
        assertThat(png).startsWith("data:image/png;base64,");
        assertThat((String) Image.of("I").toClient(Patterns.verticalRamp(16, 8))).startsWith("data:image/jpeg;base64,");
        assertThatThrownBy(() -> Image.of("I").toClient(new byte[] {1, 2, 3, 4})).hasMessageContaining("PNG or JPEG");
        assertThat(JSON.readTree(io.fastrtc.protocol.Json.write(Json.of("J").describe())).get("type").asText())
                .isEqualTo("json");
    }
}
