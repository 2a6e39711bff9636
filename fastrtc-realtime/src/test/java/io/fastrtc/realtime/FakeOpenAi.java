package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI Realtime WebSocket endpoint ({@code /v1/realtime}, GA event names), as documented in
 * OpenAI's client and server event reference: {@code Authorization: Bearer} at the handshake,
 * {@code session.created} first, {@code session.update}, {@code input_audio_buffer.append} heard
 * by a server VAD that sends {@code speech_started}/{@code speech_stopped}/{@code committed}, the
 * caller's transcript, replies as {@code response.output_audio.delta} with transcript deltas,
 * barge-in cancelling the response, {@code conversation.item.truncate}, function calls. Public for
 * the examples' tests.
 */
public final class FakeOpenAi extends FakeModelServer {

    static final String PATH = "/v1/realtime";

    /** Listens on a free loopback port; the key it accepts is {@code test-key}. */
    public FakeOpenAi() {
        super(24000, PATH);
    }

    /** The endpoint, for {@code OpenAiRealtime.builder().baseUrl(...)}. */
    public String url() {
        return url(PATH);
    }

    /** How many model sessions were opened. */
    public int sessions() {
        return connections.size();
    }

    @Override
    String key(io.javalin.http.Context handshake) {
        String auth = handshake.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }

    /** Sends {@code session.created} this long after the handshake (a slow server). */
    volatile int greetingDelayMillis;

    @Override
    void onOpen(Conn c) {
        Runnable greet = () -> c.send(Map.of("type", "session.created", "event_id", "event_1",
                "session", Map.of("type", "realtime")));
        int delay = greetingDelayMillis;
        if (delay == 0) {
            greet.run();
        } else {
            java.util.concurrent.CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(greet);
        }
    }

    @Override
    void onMessage(Conn c, JsonNode m) {
        switch (m.path("type").asText()) {
            case "session.update" -> {
                JsonNode vad = m.path("session").path("audio").path("input").path("turn_detection");
                c.serverVad = !vad.isNull();
                c.send(event("session.updated", "session", m.path("session")));
            }
            case "input_audio_buffer.commit" -> {
                c.turns++;
                String user = "item_user_" + c.turns;
                c.send(event("input_audio_buffer.committed", "item_id", user));
                c.send(event("conversation.item.input_audio_transcription.completed", "item_id", user,
                        "content_index", 0, "transcript", "caller turn " + c.turns));
            }
            case "response.cancel" -> {
                if (stopReplying(c)) {
                    c.send(event("response.done", "response", Map.of("id", "resp_" + c.turns, "status", "cancelled")));
                } else {
                    error(c, "invalid_request_error", "response_cancel_not_active", "no active response");
                }
            }
            case "input_audio_buffer.append" -> hear(c, m.path("audio").asText());
            case "conversation.item.truncate" -> c.send(event("conversation.item.truncated",
                    "item_id", m.path("item_id").asText(), "content_index", 0,
                    "audio_end_ms", m.path("audio_end_ms").asInt()));
            case "conversation.item.create" -> c.send(event("conversation.item.created", "item", m.path("item")));
            case "response.create" -> answer(c, lastToolOutput(c).isEmpty()
                    ? "Reply number " + c.turns + " from the fake model"
                    : "The tool said " + lastToolOutput(c).replaceAll("[^A-Za-z0-9]+", " ").trim());
            default -> c.send(event("error", "error", Map.of("type", "invalid_request_error",
                    "code", "unknown_event", "message", "unknown event " + m.path("type").asText())));
        }
    }

    private static String lastToolOutput(Conn c) {
        for (int i = c.received.size() - 1; i >= 0; i--) {
            JsonNode item = c.received.get(i).path("item");
            if ("function_call_output".equals(item.path("type").asText())) {
                return item.path("output").asText();
            }
        }
        return "";
    }

    @Override
    void speechStarted(Conn c) {
        c.send(event("input_audio_buffer.speech_started", "audio_start_ms", 0, "item_id", "item_user_" + c.turns));
        if (stopReplying(c)) { // interrupt_response: the server cancels the response in progress
            c.send(event("response.done", "response", Map.of("id", "resp_" + c.turns, "status", "cancelled")));
        }
    }

    @Override
    void turnEnded(Conn c) {
        String user = "item_user_" + (c.turns - 1);
        c.send(event("input_audio_buffer.speech_stopped", "audio_end_ms", 0, "item_id", user));
        c.send(event("input_audio_buffer.committed", "item_id", user));
        c.send(event("conversation.item.input_audio_transcription.completed", "item_id", user,
                "content_index", 0, "transcript", "caller turn " + c.turns));
        String[] tool = toolCall;
        if (tool != null) {
            toolCall = null;
            String response = "resp_tool_" + c.turns;
            c.send(event("response.created", "response", Map.of("id", response, "status", "in_progress")));
            c.send(event("response.output_item.added", "response_id", response, "output_index", 0,
                    "item", Map.of("id", "item_call", "type", "function_call", "name", tool[0])));
            c.send(event("response.function_call_arguments.done", "response_id", response, "item_id", "item_call",
                    "output_index", 0, "call_id", "call_" + c.turns, "name", tool[0], "arguments", tool[1]));
            c.send(event("response.done", "response", Map.of("id", response, "status", "completed")));
            return;
        }
        answer(c, "Reply number " + c.turns + " from the fake model");
    }

    private volatile String currentItem;
    private volatile String currentResponse;

    private void answer(Conn c, String transcript) {
        currentResponse = "resp_" + c.turns;
        currentItem = "item_asst_" + c.turns + "_" + c.received.size();
        c.send(event("response.created", "response", Map.of("id", currentResponse, "status", "in_progress")));
        c.send(event("response.output_item.added", "response_id", currentResponse, "output_index", 0,
                "item", Map.of("id", currentItem, "type", "message", "role", "assistant")));
        reply(c, transcript);
    }

    String currentItem() {
        return currentItem;
    }

    @Override
    void replyPiece(Conn c, String base64Pcm, String text) {
        c.send(event("response.output_audio.delta", "response_id", currentResponse, "item_id", currentItem,
                "output_index", 0, "content_index", 0, "delta", base64Pcm));
        if (!text.isEmpty()) {
            c.send(event("response.output_audio_transcript.delta", "response_id", currentResponse,
                    "item_id", currentItem, "output_index", 0, "content_index", 0, "delta", text));
        }
    }

    @Override
    void replyDone(Conn c) {
        c.send(event("response.output_audio.done", "response_id", currentResponse, "item_id", currentItem,
                "output_index", 0, "content_index", 0));
        c.send(event("response.output_audio_transcript.done", "response_id", currentResponse, "item_id", currentItem));
        c.send(event("response.done", "response", Map.of("id", currentResponse, "status", "completed")));
    }

    /** An {@code error} event as OpenAI documents it (a rate limit: code {@code rate_limit_exceeded}). */
    void error(Conn c, String type, String code, String message) {
        c.send(event("error", "error", Map.of("type", type, "code", code, "message", message)));
    }

    /** Messages of {@code type} received in all sessions. */
    List<JsonNode> received(String type) {
        return received(m -> type.equals(m.path("type").asText()));
    }

    static Map<String, Object> event(String type, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("event_id", "event_" + System.nanoTime());
        for (int i = 0; i < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return m;
    }
}
