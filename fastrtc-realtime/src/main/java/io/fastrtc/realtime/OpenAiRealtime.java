package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The OpenAI Realtime API over WebSocket (the GA protocol): each call gets its own realtime session
 * with 24 kHz PCM audio both ways, the server's voice activity detection ({@code server_vad}) or
 * ours ({@link RealtimeBuilder#localTurnDetection}) deciding the turns, the caller's words
 * transcribed, and the registered {@link Tool}s offered as functions.
 *
 * <pre>{@code
 * Stream stream = Stream.builder()
 *         .audio(OpenAiRealtime.builder()                    // key from $OPENAI_API_KEY
 *                 .instructions("You are a friendly travel agent.")
 *                 .tool(Tool.of("get_time", "The current time", args -> Instant.now().toString()))
 *                 .build())
 *         .additionalOutputs(Chatbot.of("Conversation"))
 *         .build();
 * }</pre>
 *
 * On barge-in (the server's {@code input_audio_buffer.speech_started}) playback stops and the reply
 * is truncated ({@code conversation.item.truncate}) to what the caller heard.
 */
public final class OpenAiRealtime {

    public static final String DEFAULT_BASE_URL = "wss://api.openai.com/v1/realtime";
    public static final String DEFAULT_MODEL = "gpt-realtime";
    public static final String KEY_VARIABLE = "OPENAI_API_KEY";
    static final int RATE = 24000;

    private OpenAiRealtime() {
    }

    public static Builder builder() {
        return new Builder(System::getenv);
    }

    /** Settings of an OpenAI realtime bridge. */
    public static final class Builder extends RealtimeBuilder<Builder> {
        private String transcription = "gpt-4o-mini-transcribe";

        Builder(Function<String, String> environment) {
            super(KEY_VARIABLE, DEFAULT_MODEL, DEFAULT_BASE_URL, environment);
        }

        /** The model transcribing the caller (default {@code gpt-4o-mini-transcribe}); null for no transcript. */
        public Builder transcription(String model) {
            this.transcription = model;
            return this;
        }

        /** The handler; fails if there is no key. */
        public RealtimeHandler build() {
            return build(new Wire(this));
        }
    }

    /** The GA realtime protocol (message names from OpenAI's client and server event reference). */
    static final class Wire extends ModelWire {
        private final String transcription;

        Wire(Builder settings) {
            super(settings, "OpenAI", RATE, RATE);
            this.transcription = settings.transcription;
        }

        @Override
        public URI uri() {
            return endpoint("model", model);
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Authorization", "Bearer " + key);
        }

        @Override
        public List<String> opening(List<Tool> tools, boolean localTurns) {
            ObjectNode session = Json.object();
            session.put("type", "realtime");
            session.putArray("output_modalities").add("audio");
            if (instructions != null) {
                session.put("instructions", instructions);
            }
            if (!tools.isEmpty()) {
                ArrayNode list = session.putArray("tools");
                for (Tool tool : tools) {
                    ObjectNode t = list.addObject();
                    t.put("type", "function");
                    t.put("name", tool.name());
                    t.put("description", tool.description());
                    t.set("parameters", Json.parse(tool.parameters()));
                }
                session.put("tool_choice", "auto");
            }
            ObjectNode audio = session.putObject("audio");
            ObjectNode input = audio.putObject("input");
            pcm(input.putObject("format"));
            if (transcription != null) {
                input.putObject("transcription").put("model", transcription);
            }
            if (localTurns) {
                input.putNull("turn_detection"); // turns are committed by the bridge
            } else {
                input.putObject("turn_detection").put("type", "server_vad");
            }
            ObjectNode output = audio.putObject("output");
            pcm(output.putObject("format"));
            if (voice != null) {
                output.put("voice", voice);
            }
            ObjectNode update = event("session.update");
            update.set("session", session);
            return List.of(Json.write(update));
        }

        private static void pcm(ObjectNode format) {
            format.put("type", "audio/pcm");
            format.put("rate", RATE);
        }

        private static ObjectNode event(String type) {
            ObjectNode e = Json.object();
            e.put("type", type);
            return e;
        }

        @Override
        public String audio(byte[] pcm16) {
            ObjectNode e = event("input_audio_buffer.append");
            e.put("audio", Base64.getEncoder().encodeToString(pcm16));
            return Json.write(e);
        }

        @Override
        public void onMessage(JsonNode m, Events events) {
            String item = m.path("item_id").asText(null);
            switch (m.path("type").asText("")) {
                case "session.created" -> events.ready();
                case "response.created" -> events.replyStarted();
                // GA names first, then the beta names a proxy or an older deployment may still send
                case "response.output_audio.delta", "response.audio.delta" ->
                        events.audio(item, Base64.getDecoder().decode(m.path("delta").asText("")));
                case "response.output_audio.done", "response.audio.done" -> events.audioDone(item);
                case "response.output_audio_transcript.delta", "response.audio_transcript.delta" ->
                        events.assistantText(m.path("delta").asText(""));
                case "input_audio_buffer.speech_started" -> events.interrupted();
                case "conversation.item.input_audio_transcription.completed" ->
                        events.userText(m.path("transcript").asText(""), true);
                case "response.function_call_arguments.done" -> events.toolCall(m.path("call_id").asText(),
                        m.path("name").asText(), m.path("arguments").asText("{}"));
                case "response.done" -> {
                    JsonNode response = m.path("response");
                    if ("failed".equals(response.path("status").asText())) {
                        JsonNode error = response.path("status_details").path("error");
                        failed(events, error.path("code").asText(error.path("type").asText("response_failed")));
                    }
                    events.turnComplete();
                }
                case "error" -> {
                    JsonNode error = m.path("error");
                    failed(events, error.path("code").asText(error.path("type").asText("error")));
                }
                default -> {
                    // other events (session.updated, rate_limits.updated, item bookkeeping) need no action
                }
            }
        }

        private static void failed(Events events, String code) {
            events.failed(code.contains("rate_limit") ? Failure.RATE_LIMIT : Failure.SERVER, code);
        }

        @Override
        public List<String> toolResult(String callId, String name, String output) {
            ObjectNode create = event("conversation.item.create");
            ObjectNode item = create.putObject("item");
            item.put("type", "function_call_output");
            item.put("call_id", callId);
            item.put("output", output);
            List<String> messages = new ArrayList<>();
            messages.add(Json.write(create));
            messages.add(Json.write(event("response.create")));
            return messages;
        }

        @Override
        public List<String> userStarted(boolean responding) {
            return responding ? List.of(Json.write(event("response.cancel"))) : List.of();
        }

        @Override
        public List<String> userStopped() {
            return List.of(Json.write(event("input_audio_buffer.commit")), Json.write(event("response.create")));
        }

        @Override
        public List<String> truncate(String itemId, int heardMillis) {
            ObjectNode e = event("conversation.item.truncate");
            e.put("item_id", itemId);
            e.put("content_index", 0);
            e.put("audio_end_ms", heardMillis);
            return List.of(Json.write(e));
        }
    }
}
