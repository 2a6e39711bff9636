package io.fastrtc.speech.elevenlabs;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.internal.Checks;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.speech.socket.SpeechSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Streaming text-to-speech over ElevenLabs' WebSocket API ({@code /v1/text-to-speech/{voice}/stream-input}):
 * text goes up as it is written, raw PCM comes back in base64 pieces as it is synthesised, so the
 * first sentence plays while the rest of the reply is still being written. Thread-safe; one
 * instance serves every connection, each reply on its own socket.
 *
 * <pre>{@code
 * ElevenLabsTextToSpeech tts = ElevenLabsTextToSpeech.builder()   // key from ELEVENLABS_API_KEY
 *         .voiceId("JBFqnCBsd6RMkjVDRZzb").build();
 * LiveSpeech speech = tts.live();            // connects now, while the model thinks
 * model.stream(prompt, speech::append, speech::finish);
 * return speech;                             // from a ReplyOnPause handler: audio as it comes
 * }</pre>
 *
 * <p>Each piece of text is sent once it ends with a whole word, with {@code flush} when it ends a
 * sentence so that ElevenLabs speaks it at once instead of waiting for more text. If the socket
 * drops before any audio came, the reply is sent again on a new one; after audio came the reader
 * gets what arrived, then a {@link io.fastrtc.speech.socket.SpeechServiceException}.
 *
 * <p>Each {@link #live()} connects before it returns (TLS and handshake, often 100 to 300 ms), so
 * code that speaks an answer as several replies opens the next one while the current one plays, as
 * {@code VoiceAgent} (module {@code fastrtc-agent}) does.
 */
public final class ElevenLabsTextToSpeech implements TextToSpeech {

    /** ElevenLabs' own service. */
    public static final String DEFAULT_BASE_URL = "wss://api.elevenlabs.io";
    /** The environment variable the key is read from when none is given. */
    public static final String API_KEY_VARIABLE = "ELEVENLABS_API_KEY";
    /** The rates of ElevenLabs' raw {@code pcm_<rate>} formats (16-bit little-endian mono). */
    public static final List<Integer> PCM_RATES = List.of(8000, 16000, 22050, 24000, 32000, 44100, 48000);
    static final SpeechSocket.Service SERVICE = new SpeechSocket.Service("ElevenLabs", API_KEY_VARIABLE, null);

    /**
     * How the voice sounds, sent once per reply; ElevenLabs' defaults are {@link #DEFAULT}.
     *
     * @param stability 0..1: higher is steadier, lower more expressive
     * @param similarityBoost 0..1: how closely to keep to the original voice
     * @param style 0..1: style exaggeration (0 is fastest)
     * @param useSpeakerBoost a little more likeness, a little more latency
     * @param speed 0.7..1.2, 1 is normal
     */
    public record VoiceSettings(double stability, double similarityBoost, double style, boolean useSpeakerBoost,
            double speed) {
        public static final VoiceSettings DEFAULT = new VoiceSettings(0.5, 0.75, 0, true, 1.0);

        public VoiceSettings {
            unit("stability", stability);
            unit("similarityBoost", similarityBoost);
            unit("style", style);
            if (!(speed >= 0.7 && speed <= 1.2)) {
                throw new IllegalArgumentException("speed must be 0.7..1.2; got " + speed);
            }
        }

        private static void unit(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be 0..1; got " + value);
            }
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stability", stability);
            m.put("similarity_boost", similarityBoost);
            m.put("style", style);
            m.put("use_speaker_boost", useSpeakerBoost);
            m.put("speed", speed);
            return m;
        }
    }

    final String baseUrl;
    private final String apiKey;
    private final String voiceId;
    private final String modelId;
    final int sampleRate;
    private final VoiceSettings voiceSettings;
    private final int[] chunkLengthSchedule;
    final Duration timeout;
    final int reconnects;
    final HttpClient http;

    private ElevenLabsTextToSpeech(Builder b) {
        baseUrl = b.baseUrl;
        apiKey = b.apiKey != null ? b.apiKey : b.environment.apply(API_KEY_VARIABLE);
        voiceId = b.voiceId;
        modelId = b.modelId;
        sampleRate = b.sampleRate;
        voiceSettings = b.voiceSettings;
        chunkLengthSchedule = b.chunkLengthSchedule;
        timeout = b.timeout;
        reconnects = b.reconnects;
        http = HttpClient.newBuilder().connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder(System::getenv);
    }

    /** The WebSocket address; it never holds the key. */
    public URI uri() {
        return URI.create(baseUrl + "/v1/text-to-speech/" + URLEncoder.encode(voiceId, StandardCharsets.UTF_8)
                + "/stream-input?model_id=" + URLEncoder.encode(modelId, StandardCharsets.UTF_8)
                + "&output_format=pcm_" + sampleRate);
    }

    Map<String, String> headers() {
        return apiKey == null || apiKey.isBlank() ? Map.of() : Map.of("xi-api-key", apiKey);
    }

    /** The first message of every socket: a single space, and the voice's settings if any. */
    Map<String, Object> initialMessage() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", " ");
        if (voiceSettings != null) {
            m.put("voice_settings", voiceSettings.json());
        }
        if (chunkLengthSchedule != null) {
            m.put("generation_config", Map.of("chunk_length_schedule", chunkLengthSchedule));
        }
        return m;
    }

    /** Connects now and returns the reply to write into; see {@link ElevenLabsSpeech}. */
    @Override
    public ElevenLabsSpeech live() {
        return new ElevenLabsSpeech(this);
    }

    /** {@code text} spoken, the audio as it arrives (one socket for the whole text). */
    @Override
    public ElevenLabsSpeech stream(String text) {
        ElevenLabsSpeech speech = live();
        speech.append(Objects.requireNonNull(text, "text"));
        speech.finish();
        return speech;
    }

    /** {@code text} spoken, at {@link Builder#sampleRate}, once all of it has arrived. */
    @Override
    public AudioFrame synthesize(String text) {
        AudioFrame all = AudioFrame.ofPcm16(sampleRate, 1, new short[0]);
        if (Objects.requireNonNull(text, "text").isBlank()) {
            return all;
        }
        try (ElevenLabsSpeech speech = stream(text)) {
            while (speech.hasNext()) {
                all = all.concat(speech.next());
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "ElevenLabsTextToSpeech[" + uri() + ", key " + (headers().isEmpty() ? "none" : "set") + "]";
    }

    /** Configures an {@link ElevenLabsTextToSpeech}. */
    public static final class Builder {
        private final UnaryOperator<String> environment;
        private String baseUrl = DEFAULT_BASE_URL;
        private String apiKey;
        private String voiceId;
        private String modelId = "eleven_flash_v2_5";
        private int sampleRate = 16000;
        private VoiceSettings voiceSettings;
        private int[] chunkLengthSchedule;
        private Duration timeout = Duration.ofSeconds(20);
        private int reconnects = 1;

        Builder(UnaryOperator<String> environment) {
            this.environment = environment;
        }

        /** Where the service is, e.g. {@code ws://127.0.0.1:8080} (default {@value #DEFAULT_BASE_URL}). */
        public Builder baseUrl(String url) {
            baseUrl = SpeechSocket.checkBaseUrl(url, "/v1");
            return this;
        }

        /** The API key, sent as the {@code xi-api-key} header (default: {@value #API_KEY_VARIABLE}; none if unset). */
        public Builder apiKey(String key) {
            apiKey = key;
            return this;
        }

        /** The voice (required): its id, as listed by ElevenLabs, e.g. {@code JBFqnCBsd6RMkjVDRZzb}. */
        public Builder voiceId(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("voice id must not be blank; use the id of an ElevenLabs voice");
            }
            voiceId = id;
            return this;
        }

        /** The model (default {@code eleven_flash_v2_5}, ElevenLabs' lowest-latency one). */
        public Builder modelId(String id) {
            modelId = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The rate of the raw PCM asked for ({@code output_format=pcm_<rate>}, default 16000), one of {@link #PCM_RATES}. */
        public Builder sampleRate(int hz) {
            if (!PCM_RATES.contains(hz)) {
                throw new IllegalArgumentException("ElevenLabs sends raw PCM at " + PCM_RATES + " Hz; got " + hz);
            }
            sampleRate = hz;
            return this;
        }

        /** The voice's settings for every reply (default: the voice's own). */
        public Builder voiceSettings(VoiceSettings settings) {
            voiceSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * How many characters ElevenLabs waits for before each of its first generations (its
         * {@code chunk_length_schedule}, each 50..500; default the service's, 120, 160, 250, 290).
         * A sentence end is spoken at once whatever this says.
         */
        public Builder chunkLengthSchedule(int... characters) {
            if (characters.length == 0 || Arrays.stream(characters).anyMatch(c -> c < 50 || c > 500)) {
                throw new IllegalArgumentException("chunk lengths must be 50..500 characters; got "
                        + Arrays.toString(characters));
            }
            chunkLengthSchedule = characters.clone();
            return this;
        }

        /** How long to wait for the connection, and at most between two pieces of audio (default 20 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout, Duration.ofSeconds(20));
            return this;
        }

        /** How many times a reply is sent again on a new socket when one drops before any audio (default 1). */
        public Builder reconnects(int times) {
            reconnects = SpeechSocket.checkReconnects(times);
            return this;
        }

        public ElevenLabsTextToSpeech build() {
            if (voiceId == null) {
                throw new IllegalStateException("voiceId(...) is required: the id of an ElevenLabs voice");
            }
            return new ElevenLabsTextToSpeech(this);
        }
    }
}
