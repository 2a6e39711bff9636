package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Gemini Live API ({@code BidiGenerateContent} over WebSocket): each call gets its own live
 * session, 16 kHz PCM in and 24 kHz PCM out, the server's automatic activity detection (or ours,
 * {@link RealtimeBuilder#localTurnDetection}, sending {@code activityStart}/{@code activityEnd})
 * deciding the turns and interruptions, both sides transcribed, and the registered {@link Tool}s
 * offered as function declarations.
 *
 * <pre>{@code
 * Stream stream = Stream.builder()
 *         .audio(GeminiLive.builder()                        // key from $GEMINI_API_KEY
 *                 .instructions("You are a patient language teacher.")
 *                 .build())
 *         .additionalOutputs(Chatbot.of("Conversation"))
 *         .build();
 * }</pre>
 *
 * Gemini drops the interrupted part of its turn itself ({@code interrupted}); the bridge stops
 * playing it at once. Gemini says nothing when the caller talks over the tail of a turn it has
 * finished generating but the call is still playing; {@link RealtimeBuilder#localTurnDetection}
 * covers that case too, as the bridge then cuts playback itself.
 */
public final class GeminiLive {

    public static final String DEFAULT_BASE_URL = "wss://generativelanguage.googleapis.com/ws/"
            + "google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
    public static final String DEFAULT_MODEL = "gemini-3.1-flash-live-preview";
    public static final String KEY_VARIABLE = "GEMINI_API_KEY";
    static final int INPUT_RATE = 16000;
    static final int OUTPUT_RATE = 24000;

    private GeminiLive() {
    }

    public static Builder builder() {
        return new Builder(System::getenv);
    }

    /** Settings of a Gemini Live bridge. */
    public static final class Builder extends RealtimeBuilder<Builder> {
        private boolean transcription = true;

        Builder(Function<String, String> environment) {
            super(KEY_VARIABLE, DEFAULT_MODEL, DEFAULT_BASE_URL, environment);
        }

        /** Whether both sides are transcribed into the conversation output (default true). */
        public Builder transcription(boolean transcription) {
            this.transcription = transcription;
            return this;
        }

        /** The handler; fails if there is no key. */
        public RealtimeHandler build() {
            return build(new Wire(this));
        }
    }

    /** The Live API's JSON messages (names from Google's Live API reference and its SDK types). */
    static final class Wire extends ModelWire {
        private final boolean transcription;

        Wire(Builder settings) {
            super(settings, "Gemini", INPUT_RATE, OUTPUT_RATE);
            this.transcription = settings.transcription;
        }

        @Override
        public URI uri() {
            return endpoint("key", key);
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public List<String> opening(List<Tool> tools, boolean localTurns) {
            ObjectNode setup = Json.object();
            setup.put("model", model.startsWith("models/") ? model : "models/" + model);
            ObjectNode generation = setup.putObject("generationConfig");
            generation.putArray("responseModalities").add("AUDIO");
            if (voice != null) {
                generation.putObject("speechConfig").putObject("voiceConfig").putObject("prebuiltVoiceConfig")
                        .put("voiceName", voice);
            }
            if (instructions != null) {
                setup.putObject("systemInstruction").putArray("parts").addObject().put("text", instructions);
            }
            if (!tools.isEmpty()) {
                ArrayNode declarations = setup.putArray("tools").addObject().putArray("functionDeclarations");
                for (Tool tool : tools) {
                    ObjectNode d = declarations.addObject();
                    d.put("name", tool.name());
                    d.put("description", tool.description());
                    d.set("parametersJsonSchema", Json.parse(tool.parameters()));
                }
            }
            if (localTurns) {
                setup.putObject("realtimeInputConfig").putObject("automaticActivityDetection").put("disabled", true);
            }
            if (transcription) {
                setup.putObject("inputAudioTranscription");
                setup.putObject("outputAudioTranscription");
            }
            ObjectNode message = Json.object();
            message.set("setup", setup);
            return List.of(Json.write(message));
        }

        @Override
        public String audio(byte[] pcm16) {
            ObjectNode message = Json.object();
            ObjectNode audio = message.putObject("realtimeInput").putObject("audio");
            audio.put("mimeType", "audio/pcm;rate=" + INPUT_RATE);
            audio.put("data", Base64.getEncoder().encodeToString(pcm16));
            return Json.write(message);
        }

        @Override
        public void onMessage(JsonNode m, Events events) {
            if (m.has("setupComplete")) {
                events.ready();
            }
            if (m.has("goAway")) {
                events.goingAway();
            }
            JsonNode content = m.path("serverContent");
            if (content.isObject()) {
                if (content.path("interrupted").asBoolean(false)) {
                    events.interrupted();
                }
                JsonNode heard = content.path("inputTranscription");
                if (heard.has("text")) {
                    events.userText(heard.path("text").asText(""), heard.path("finished").asBoolean(false));
                }
                for (JsonNode part : content.path("modelTurn").path("parts")) {
                    JsonNode data = part.path("inlineData");
                    if (data.path("mimeType").asText("").startsWith("audio/pcm") && data.has("data")) {
                        events.audio(null, Base64.getDecoder().decode(data.path("data").asText()));
                    }
                }
                JsonNode said = content.path("outputTranscription");
                if (said.has("text")) {
                    events.assistantText(said.path("text").asText(""));
                }
                if (content.path("turnComplete").asBoolean(false)) {
                    events.turnComplete();
                }
            }
            for (JsonNode call : m.path("toolCall").path("functionCalls")) {
                events.toolCall(call.path("id").asText(), call.path("name").asText(),
                        call.has("args") ? Json.write(call.path("args")) : "{}");
            }
        }

        @Override
        public List<String> toolResult(String callId, String name, String output) {
            JsonNode parsed = Json.parse(output);
            ObjectNode message = Json.object();
            ObjectNode response = message.putObject("toolResponse").putArray("functionResponses").addObject();
            response.put("id", callId);
            response.put("name", name);
            if (parsed != null && parsed.isObject()) {
                response.set("response", parsed);
            } else {
                response.putObject("response").put("result", output);
            }
            return List.of(Json.write(message));
        }

        @Override
        public List<String> userStarted(boolean responding) {
            return List.of(realtimeInput("activityStart"));
        }

        @Override
        public List<String> userStopped() {
            return List.of(realtimeInput("activityEnd"));
        }

        private static String realtimeInput(String activity) {
            ObjectNode message = Json.object();
            message.putObject("realtimeInput").putObject(activity);
            return Json.write(message);
        }

        @Override
        public List<String> truncate(String itemId, int heardMillis) {
            return List.of(); // Gemini cuts its own turn at the interruption
        }
    }
}
