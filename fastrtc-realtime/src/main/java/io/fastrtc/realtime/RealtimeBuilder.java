package io.fastrtc.realtime;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.internal.Checks;
import io.fastrtc.turn.PauseDetectionModel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What both realtime bridges are configured with. The key comes from the builder or, when none is
 * given, from the vendor's environment variable; it is never printed.
 */
public abstract class RealtimeBuilder<B extends RealtimeBuilder<B>> {

    private final String keyVariable;
    private final Function<String, String> environment;
    private String apiKey;
    String model;
    String baseUrl;
    String instructions;
    String voice;
    final List<Tool> tools = new ArrayList<>();
    private AudioFrame apology;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int inputSampleRate = 48000;
    private PauseDetectionModel localTurns;
    private Duration endOfTurn = Duration.ofMillis(600);

    RealtimeBuilder(String keyVariable, String model, String baseUrl, Function<String, String> environment) {
        this.keyVariable = keyVariable;
        this.model = model;
        this.baseUrl = baseUrl;
        this.environment = environment;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The API key; without one, the environment variable named by the vendor's builder is read. */
    public B apiKey(String apiKey) {
        this.apiKey = apiKey;
        return self();
    }

    /** The model id. */
    public B model(String model) {
        this.model = requireText(model, "model");
        return self();
    }

    /** The WebSocket endpoint ({@code wss://...}, or {@code ws://} for a local fake or proxy). */
    public B baseUrl(String baseUrl) {
        URI uri = URI.create(requireText(baseUrl, "baseUrl"));
        if (!"wss".equals(uri.getScheme()) && !"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be a ws:// or wss:// URL; got " + baseUrl);
        }
        this.baseUrl = baseUrl;
        return self();
    }

    /** The system instructions (persona, task, style). */
    public B instructions(String instructions) {
        this.instructions = instructions;
        return self();
    }

    /** The voice name (the vendor's; e.g. OpenAI {@code marin}, Gemini {@code Puck}); the vendor's default if unset. */
    public B voice(String voice) {
        this.voice = voice;
        return self();
    }

    /** A function the model may call. */
    public B tool(Tool tool) {
        Objects.requireNonNull(tool, "tool");
        if (tools.stream().anyMatch(t -> t.name().equals(tool.name()))) {
            throw new IllegalArgumentException("a tool named " + tool.name() + " is already registered");
        }
        tools.add(tool);
        return self();
    }

    /** Audio played when the model cannot answer (connection refused or lost mid-answer); silence if unset. */
    public B apology(AudioFrame apology) {
        this.apology = apology;
        return self();
    }

    /** How long the WebSocket handshake may take (default 10 s). */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = Checks.positive("connectTimeout", timeout, Duration.ofSeconds(10));
        return self();
    }

    /**
     * The rate the handler takes the call's audio at (default 48000, FastRTC's): what FastRTC
     * WebSocket clients must send. WebRTC and phone calls are converted to it by the stream.
     */
    public B inputSampleRate(int rate) {
        if (rate < 8000 || rate > 48000) {
            throw new IllegalArgumentException("inputSampleRate must be between 8000 and 48000 Hz; got " + rate);
        }
        this.inputSampleRate = rate;
        return self();
    }

    /**
     * Turn-taking by this bridge instead of the model's server: {@code model}'s streaming detector
     * (e.g. {@code WebRtcVad.shared()}, or Silero from {@code fastrtc-silero}) notices the caller
     * start talking (barge-in: playback stops, the reply is cancelled and truncated to what was
     * heard) and ends the turn after {@code endOfTurn} of silence, when the model is asked to answer.
     */
    public B localTurnDetection(PauseDetectionModel model, Duration endOfTurn) {
        if (endOfTurn == null || endOfTurn.toMillis() < 100) {
            throw new IllegalArgumentException("endOfTurn must be at least 100 ms; got " + endOfTurn);
        }
        this.localTurns = Objects.requireNonNull(model, "model");
        this.endOfTurn = endOfTurn;
        return self();
    }

    /** The key to use, checked to be present. */
    String key() {
        String key = apiKey != null ? apiKey : environment.apply(keyVariable);
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("no API key: set the environment variable " + keyVariable
                    + " or call apiKey(...) on the builder");
        }
        return key.strip();
    }

    RealtimeHandler build(Protocol protocol) {
        return new RealtimeHandler(new RealtimeHandler.Settings(protocol, tools, apology, connectTimeout, keyVariable,
                inputSampleRate, localTurns, (int) endOfTurn.toMillis()));
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[model=" + model + ", baseUrl=" + baseUrl + ", key="
                + (apiKey != null ? "set" : "from " + keyVariable) + "]";
    }
}
