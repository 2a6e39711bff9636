package io.fastrtc.speech.deepgram;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.internal.Checks;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.Transcript;
import io.fastrtc.speech.socket.SpeechSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Streaming speech-to-text over Deepgram's live WebSocket API ({@code /v1/listen}): raw 16-bit PCM
 * goes up as binary messages while it is spoken, and {@code Results} come back with interim and
 * final words and the end of each utterance ({@code speech_final}). Thread-safe; one instance
 * serves every connection.
 *
 * <pre>{@code
 * DeepgramSpeechToText stt = DeepgramSpeechToText.builder()      // key from DEEPGRAM_API_KEY
 *         .model("nova-3").interimResults(true).endpointing(Duration.ofMillis(300)).build();
 * try (LiveTranscription live = stt.live(t -> System.out.println(t.text()))) {
 *     frames.forEach(live::send);
 *     String said = live.finish();
 * }
 * }</pre>
 *
 * <p>{@link #transcribe} streams a whole recording through one socket. While nothing is sent the
 * session sends {@code KeepAlive} (Deepgram closes a socket that hears nothing for 10 s). If the
 * connection drops, the session reconnects on its next call and sends again the audio Deepgram had
 * not finalised, so no words are lost; a refused key (401) or a rate limit (429) is reported, not retried.
 */
public final class DeepgramSpeechToText implements SpeechToText {

    /** Deepgram's own service. */
    public static final String DEFAULT_BASE_URL = "wss://api.deepgram.com";
    /** The environment variable the key is read from when none is given. */
    public static final String API_KEY_VARIABLE = "DEEPGRAM_API_KEY";
    static final String PATH = "/v1/listen";
    static final SpeechSocket.Service SERVICE = new SpeechSocket.Service("Deepgram", API_KEY_VARIABLE, "dg-error");

    final String baseUrl;
    private final String apiKey;
    final int sampleRate;
    final Duration timeout;
    final Duration keepAlive;
    final int reconnects;
    private final Map<String, String> query;
    final HttpClient http;

    private DeepgramSpeechToText(Builder b) {
        baseUrl = b.baseUrl;
        apiKey = b.apiKey != null ? b.apiKey : b.environment.apply(API_KEY_VARIABLE);
        sampleRate = b.sampleRate;
        timeout = b.timeout;
        keepAlive = b.keepAlive;
        reconnects = b.reconnects;
        query = new LinkedHashMap<>();
        query.put("encoding", "linear16");
        query.put("sample_rate", Integer.toString(b.sampleRate));
        query.put("channels", "1");
        query.putAll(b.query);
        http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder(System::getenv);
    }

    /** The WebSocket address with every query parameter; it never holds the key. */
    public URI uri() {
        return URI.create(baseUrl + PATH + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    Map<String, String> headers() {
        return apiKey == null || apiKey.isBlank() ? Map.of() : Map.of("Authorization", "Token " + apiKey);
    }

    /** The words in {@code audio}, streamed through one socket (a tenth of a second per message). */
    @Override
    public String transcribe(AudioFrame audio) {
        if (audio.isEmpty()) {
            return "";
        }
        AudioFrame mono = audio.toMono();
        int step = Math.max(1, mono.sampleRate() / 10);
        try (DeepgramTranscription live = live(t -> { })) {
            for (int from = 0; from < mono.samplesPerChannel(); from += step) {
                live.send(mono.slice(from, Math.min(from + step, mono.samplesPerChannel())));
            }
            return live.finish();
        }
    }

    /**
     * Opens a stream to Deepgram now (so the handshake is done before the first word) and returns
     * it; {@code listener} gets every {@code Results} message with words, and an empty final
     * transcript for each {@code UtteranceEnd}.
     *
     * @throws io.fastrtc.speech.socket.SpeechServiceException if Deepgram refused or could not be reached
     */
    @Override
    public DeepgramTranscription live(Consumer<Transcript> listener) {
        return new DeepgramTranscription(this, Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
        return "DeepgramSpeechToText[" + uri() + ", key " + (headers().isEmpty() ? "none" : "set") + "]";
    }

    /** Configures a {@link DeepgramSpeechToText}. */
    public static final class Builder {
        private final UnaryOperator<String> environment;
        private String baseUrl = DEFAULT_BASE_URL;
        private String apiKey;
        private int sampleRate = 16000;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration keepAlive = Duration.ofSeconds(4);
        private int reconnects = 2;
        private final Map<String, String> query = new LinkedHashMap<>();

        Builder(UnaryOperator<String> environment) {
            this.environment = environment;
        }

        /** Where the service is, e.g. {@code ws://127.0.0.1:8080} (default {@value #DEFAULT_BASE_URL}). */
        public Builder baseUrl(String url) {
            baseUrl = SpeechSocket.checkBaseUrl(url, PATH);
            return this;
        }

        /** The API key, sent as {@code Authorization: Token <key>} (default: {@value #API_KEY_VARIABLE}; none if unset). */
        public Builder apiKey(String key) {
            apiKey = key;
            return this;
        }

        /** Deepgram's model, e.g. {@code nova-3} (default: the service's). */
        public Builder model(String model) {
            return parameter("model", model);
        }

        /** The language, e.g. {@code en} or {@code multi} (default: the service's, {@code en}). */
        public Builder language(String language) {
            return parameter("language", language);
        }

        /**
         * The rate the audio is sent at (default 16000); audio of any other rate is resampled to it.
         * 16 kHz is what speech models hear; 8 kHz suits phone audio.
         */
        public Builder sampleRate(int hz) {
            if (hz < AudioFrame.MIN_SAMPLE_RATE || hz > 48000) {
                throw new IllegalArgumentException("sample rate must be 8000..48000 Hz; got " + hz);
            }
            sampleRate = hz;
            return this;
        }

        /** Whether to get interim transcripts ({@code isFinal == false}) while words are still changing (default false). */
        public Builder interimResults(boolean on) {
            return parameter("interim_results", Boolean.toString(on));
        }

        /**
         * The silence after which Deepgram ends an utterance ({@code speech_final}, reported as
         * {@link Transcript#endOfSpeech()}); {@link Duration#ZERO} turns it off. Default: the
         * service's (10 ms); 300 to 500 ms suits conversation.
         */
        public Builder endpointing(Duration silence) {
            if (silence.isNegative()) {
                throw new IllegalArgumentException("endpointing must be >= 0 (0 turns it off); got " + silence);
            }
            return parameter("endpointing", silence.isZero() ? "false" : Long.toString(silence.toMillis()));
        }

        /**
         * Also end an utterance after this gap between words ({@code UtteranceEnd}, reported as an
         * empty final transcript that ends the speech), which works in noise where endpointing
         * does not. Needs {@link #interimResults(boolean) interimResults(true)}; at least 1000 ms.
         */
        public Builder utteranceEnd(Duration gap) {
            if (gap.toMillis() < 1000) {
                throw new IllegalArgumentException("utterance end must be at least 1000 ms; got " + gap.toMillis() + " ms");
            }
            return parameter("utterance_end_ms", Long.toString(gap.toMillis()));
        }

        /** Any other query parameter of {@code /v1/listen}, e.g. {@code smart_format=true} or {@code keyterm=FastRTC}. */
        public Builder parameter(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.equals("encoding") || name.equals("sample_rate") || name.equals("channels")) {
                throw new IllegalArgumentException(name + " is set by the client (linear16, mono, sampleRate(...))");
            }
            query.put(name, value);
            return this;
        }

        /** How long to wait for the connection and for the last words after the audio ends (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout, Duration.ofSeconds(10));
            return this;
        }

        /** After how long without audio a {@code KeepAlive} is sent (default 4 s; Deepgram closes after 10 s). */
        public Builder keepAlive(Duration idle) {
            if (idle.toMillis() < 200 || idle.toSeconds() >= 10) {
                throw new IllegalArgumentException("keep-alive must be between 200 ms and 10 s; got " + idle);
            }
            keepAlive = idle;
            return this;
        }

        /** How many times one stream may reconnect after its connection dropped (default 2; 0: never). */
        public Builder reconnects(int times) {
            reconnects = SpeechSocket.checkReconnects(times);
            return this;
        }

        public DeepgramSpeechToText build() {
            return new DeepgramSpeechToText(this);
        }
    }
}
