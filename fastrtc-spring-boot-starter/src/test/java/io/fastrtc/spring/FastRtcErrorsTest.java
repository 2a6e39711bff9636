package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.security.Authorizer;
import io.fastrtc.stream.Stream;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.telephone.TwilioSignature;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.LogCapture;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.ui.Slider;
import io.fastrtc.ui.UiOptions;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * On Spring, what a client sees when its input is refused: the app's own controller calling
 * {@code setInput} answers 422 with the component's message (the starter's exception handler),
 * and a Twilio webhook signed for another URL is refused with a bare "forbidden" whatever
 * forwarded headers it carries. A real server on a random port.
 */
@SpringBootTest(classes = FastRtcErrorsTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FastRtcErrorsTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        /** The UI's icon, a local file: deleted by a test, so that serving it fails unexpectedly. */
        static final Path ICON = icon();

        @Bean
        Stream stream(Stream.Builder fastrtc) {
            return fastrtc.audio(new EchoHandler(16000)).additionalInputs(Slider.of("Threshold", 0, 1, 0.5))
                    .telephone(TelephoneOptions.builder().authToken("tok").build())
                    .ui(UiOptions.builder().icon(ICON.toString()).build()).build();
        }

        private static Path icon() {
            try {
                return Files.write(Files.createTempFile("fastrtc-icon", ".png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Bean
        Authorizer authorizer() {
            return request -> request.header("X-User");
        }

        @Bean
        InputHook inputHook(Stream stream) {
            return new InputHook(stream);
        }
    }

    /** The README's input hook as a Spring controller. */
    @RestController
    static class InputHook {
        private final Stream stream;

        InputHook(Stream stream) {
            this.stream = stream;
        }

        @PostMapping("/input_hook")
        void hook(@RequestBody Map<String, Object> body, HttpServletRequest request) {
            stream.authorize(FastRtcRoutes.request(request)).setInput((String) body.get("webrtc_id"), body.get("threshold"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Stream stream;

    private HttpResponse<String> post(String path, String contentType, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAppControllerCallingSetInputAnswersABadValueWith422() throws Exception {
        try (SocketCaller alice = SocketCaller.fastrtc("ws://127.0.0.1:" + port + "/websocket/offer",
                Map.of("X-User", "alice"), 16000, 24000)) {
            alice.send("{\"event\":\"start\",\"websocket_id\":\"spring-hook\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("spring-hook"));
            HttpResponse<String> refused = post("/input_hook", "application/json",
                    "{\"webrtc_id\":\"spring-hook\",\"threshold\":\"x\"}", Map.of("X-User", "alice"));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("\"error\":\"invalid_input\"")
                    .contains("slider 'Threshold' takes a number from 0.0 to 1.0");
            assertThat(post("/input_hook", "application/json", "{\"webrtc_id\":\"spring-hook\",\"threshold\":\"x\"}",
                    Map.of("X-User", "mallory")).statusCode()).isEqualTo(404);
            assertThat(post("/input_hook", "application/json", "{\"webrtc_id\":\"spring-hook\",\"threshold\":0.25}",
                    Map.of("X-User", "alice")).statusCode()).isEqualTo(200);
            assertThat(stream.inputs("spring-hook").getDouble(0)).isEqualTo(0.25);
            alice.stop();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
    }

    @Test
    void aWebhookSignedForAnotherUrlIsForbiddenWhateverItsForwardedHeadersSay() throws Exception {
        String form = "CallSid=CA1&From=%2B15550100";
        String signature = new TwilioSignature("tok").sign("https://other-app.example.com/telephone/incoming",
                Map.of("CallSid", List.of("CA1"), "From", List.of("+15550100")));
        HttpResponse<String> reply = post("/telephone/incoming", "application/x-www-form-urlencoded", form,
                Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "other-app.example.com",
                        TwilioSignature.HEADER, signature, "X-User", "twilio"));
        assertThat(reply.statusCode()).isEqualTo(403);
        assertThat(reply.body()).isEqualTo("{\"status\":\"failed\",\"meta\":{\"error\":\"forbidden\",\"message\":\"forbidden\"}}");
    }

    @Test
    void anUnexpectedFailureInARouteAnswers500WithOnlyAnErrorIdAndLogsItsTrace() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI icon = URI.create("http://127.0.0.1:" + port + "/ui/icon");
        assertThat(http.send(HttpRequest.newBuilder(icon).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        Files.delete(App.ICON); // the file the options name is gone: reading it throws
        try (LogCapture log = LogCapture.of("io.fastrtc")) {
            HttpResponse<String> failed = http.send(HttpRequest.newBuilder(icon).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            Matcher id = Pattern.compile("^\\{\"error\":\"server_error\",\"message\":\"the request failed"
                    + " \\(error id ([0-9a-f]{8})\\)\"}$").matcher(failed.body());
            assertThat(id.matches()).as(failed.body()).isTrue();
            assertThat(failed.body()).doesNotContain("fastrtc-icon").doesNotContain("Exception");
            assertThat(log.lines()).anyMatch(l -> l.contains("GET /ui/icon failed [error id " + id.group(1) + "]")
                    && l.contains("NoSuchFileException"));
        }
    }

    @Test
    void malformedJsonOnTheOfferRouteIsReportedWithoutTheParsersText() throws Exception {
        HttpResponse<String> reply = post("/webrtc/offer", "application/json", "{\"type\":\"offer\"",
                Map.of("X-User", "alice"));
        assertThat(reply.statusCode()).isEqualTo(422);
        assertThat(reply.body()).contains("request body is not valid JSON (line 1, column 16)").doesNotContain("Source");
    }
}
