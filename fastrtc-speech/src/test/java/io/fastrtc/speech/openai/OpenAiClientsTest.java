package io.fastrtc.speech.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible clients against a local server that answers in OpenAI's documented shapes. */
class OpenAiClientsTest {

    /** What the server saw of the last request. */
    record Seen(String method, String path, String contentType, String authorization, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** The next answer: status, content type, body, extra header. */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    HttpServer server;
    final AtomicReference<Seen> seen = new AtomicReference<>();
    final AtomicReference<Answer> answer = new AtomicReference<>();
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        seen.set(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestBody().readAllBytes()));
        Answer a = answer.get();
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
        ex.getResponseBody().write(a.body());
        ex.close();
    }

    OpenAiClient client(String key) {
        return OpenAiClient.builder().baseUrl(base).apiKey(key).timeout(Duration.ofSeconds(10)).build();
    }

    static AudioFrame tone(int rate, double millis) {
        int n = (int) (rate * millis / 1000);
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        return AudioFrame.ofPcm16(rate, 1, s);
    }

    @Test
    void transcribesWithAMultipartWavUpload() {
        answer.set(Answer.json(200, "{\"text\":\" what is the weather like today \"}"));
        String text = new OpenAiSpeechToText(client("sk-test"), "whisper-1").transcribe(tone(48000, 500));
        assertThat(text).isEqualTo("what is the weather like today");

        Seen s = seen.get();
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(s.authorization()).isEqualTo("Bearer sk-test");
        assertThat(s.contentType()).startsWith("multipart/form-data; boundary=");
        String boundary = s.contentType().substring(s.contentType().indexOf("boundary=") + 9);
        String body = s.text();
        assertThat(body).contains("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n");
        assertThat(body).contains("name=\"response_format\"\r\n\r\njson\r\n");
        assertThat(body).contains("Content-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\nRIFF");
        assertThat(body).endsWith("\r\n--" + boundary + "--\r\n");
        // The file part is a 16 kHz mono WAV of the audio.
        int start = body.indexOf("RIFF");
        int end = body.lastIndexOf("\r\n--" + boundary + "--");
        byte[] wav = java.util.Arrays.copyOfRange(s.body(), start, end);
        AudioFrame uploaded = Wav.read(wav);
        assertThat(uploaded.sampleRate()).isEqualTo(16000);
        assertThat(uploaded.channels()).isEqualTo(1);
        assertThat(uploaded.durationMillis()).isCloseTo(500.0, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void emptyAudioIsNotSent() {
        assertThat(new OpenAiSpeechToText(client("k"), "whisper-1").transcribe(AudioFrame.silence(16000, 1, 0)))
                .isEmpty();
        assertThat(seen.get()).isNull();
    }

    @Test
    void aTranscriptionWithoutTextIsAnError() {
        answer.set(Answer.json(200, "{\"transcript\":\"hi\"}"));
        assertThatThrownBy(() -> new OpenAiSpeechToText(client("k"), "whisper-1").transcribe(tone(16000, 100)))
                .isInstanceOf(OpenAiException.class)
                .hasMessageContaining("without a \"text\" field")
                .hasMessageContaining("transcript");
    }

    @Test
    void synthesisesRawPcm() throws Exception {
        AudioFrame spoken = tone(24000, 250);
        answer.set(new Answer(200, "audio/pcm", spoken.toBytes(), Map.of()));
        AudioFrame audio = new OpenAiTextToSpeech(client("sk-test"), "tts-1", "alloy").synthesize("Hello there.");
        assertThat(audio).isEqualTo(spoken);
        assertThat(audio.sampleRate()).isEqualTo(24000);

        Seen s = seen.get();
        assertThat(s.path()).isEqualTo("/v1/audio/speech");
        assertThat(s.contentType()).isEqualTo("application/json");
        assertThat(s.authorization()).isEqualTo("Bearer sk-test");
        JsonNode body = OpenAiClient.JSON.readTree(s.body());
        assertThat(body.get("model").asText()).isEqualTo("tts-1");
        assertThat(body.get("input").asText()).isEqualTo("Hello there.");
        assertThat(body.get("voice").asText()).isEqualTo("alloy");
        assertThat(body.get("response_format").asText()).isEqualTo("pcm");
    }

    @Test
    void synthesisesWavAtTheRateItSays() throws Exception {
        AudioFrame spoken = tone(22050, 200);
        answer.set(new Answer(200, "audio/wav", Wav.write(spoken), Map.of()));
        OpenAiTextToSpeech tts = new OpenAiTextToSpeech(client("k"), "kokoro", "af_heart",
                OpenAiTextToSpeech.Format.WAV);
        assertThat(tts.synthesize("Hi.")).isEqualTo(spoken);
        assertThat(OpenAiClient.JSON.readTree(seen.get().body()).get("response_format").asText()).isEqualTo("wav");
        // Streaming asks once per sentence.
        assertThat(tts.stream("One. Two.")).toIterable().hasSize(2);
        assertThat(OpenAiClient.JSON.readTree(seen.get().body()).get("input").asText()).isEqualTo("Two.");
    }

    @Test
    void audioThatIsNotAudioIsAnError() {
        answer.set(new Answer(200, "audio/pcm", new byte[] {1, 2, 3}, Map.of()));
        assertThatThrownBy(() -> new OpenAiTextToSpeech(client("k"), "tts-1", "alloy").synthesize("Hi."))
                .isInstanceOf(OpenAiException.class).hasMessageContaining("3 bytes").hasMessageContaining("pcm");
    }

    @Test
    void aRejectedKeyIsAClearError() {
        answer.set(Answer.json(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-bad.\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        assertThatThrownBy(() -> new OpenAiSpeechToText(client("sk-bad"), "whisper-1").transcribe(tone(16000, 100)))
                .isInstanceOfSatisfying(OpenAiException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("/v1/audio/transcriptions")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("Incorrect API key provided")
                .hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void aRateLimitSaysWhenToRetry() {
        answer.set(new Answer(429, "application/json", ("{\"error\":{\"message\":\"Rate limit reached for tts-1\","
                + "\"type\":\"requests\"}}").getBytes(StandardCharsets.UTF_8), Map.of("Retry-After", "20")));
        assertThatThrownBy(() -> new OpenAiTextToSpeech(client("k"), "tts-1", "alloy").synthesize("Hi."))
                .isInstanceOfSatisfying(OpenAiException.class, e -> assertThat(e.status()).isEqualTo(429))
                .hasMessageContaining("Rate limit reached for tts-1")
                .hasMessageContaining("try again later")
                .hasMessageContaining("Retry-After: 20");
    }

    @Test
    void aServerErrorShowsWhatTheServerSaid() {
        answer.set(new Answer(500, "text/plain", "upstream model crashed".getBytes(StandardCharsets.UTF_8),
                Map.of()));
        assertThatThrownBy(() -> new OpenAiTextToSpeech(client("k"), "tts-1", "alloy").synthesize("Hi."))
                .isInstanceOfSatisfying(OpenAiException.class, e -> assertThat(e.status()).isEqualTo(500))
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("upstream model crashed")
                .hasMessageContaining("the service failed");
    }

    @Test
    void anUnreachableServiceIsAClearError() {
        server.stop(0);
        assertThatThrownBy(() -> client("k").postJson("/v1/chat/completions", "{}"))
                .isInstanceOfSatisfying(OpenAiException.class, e -> assertThat(e.status()).isZero())
                .hasMessageContaining(base)
                .hasMessageContaining("is the service running");
    }

    @Test
    void theKeyComesFromTheEnvironmentUnlessGiven() {
        answer.set(Answer.json(200, "{}"));
        new OpenAiClient.Builder(name -> name.equals("OPENAI_API_KEY") ? "sk-env" : null).baseUrl(base).build()
                .postJson("/v1/x", "{}");
        assertThat(seen.get().authorization()).isEqualTo("Bearer sk-env");
        new OpenAiClient.Builder(name -> "sk-env").baseUrl(base).apiKey("sk-arg").build().postJson("/v1/x", "{}");
        assertThat(seen.get().authorization()).isEqualTo("Bearer sk-arg");
        new OpenAiClient.Builder(name -> null).baseUrl(base).build().postJson("/v1/x", "{}");
        assertThat(seen.get().authorization()).as("no key: local servers need none").isNull();
    }

    @Test
    void theBaseUrlIsChecked() {
        assertThat(OpenAiClient.builder().build().baseUrl()).isEqualTo("https://api.openai.com");
        assertThat(OpenAiClient.builder().baseUrl("http://127.0.0.1:8880/").build().baseUrl())
                .isEqualTo("http://127.0.0.1:8880");
        assertThatThrownBy(() -> OpenAiClient.builder().baseUrl("https://api.openai.com/v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use \"https://api.openai.com\"");
        assertThatThrownBy(() -> OpenAiClient.builder().baseUrl("127.0.0.1:8880"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)://");
    }
}
