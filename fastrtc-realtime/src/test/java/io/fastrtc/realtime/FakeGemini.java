package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The Gemini Live {@code BidiGenerateContent} endpoint, as documented in Google's Live API
 * reference: the key in the {@code key} query parameter, {@code setup} answered by
 * {@code setupComplete}, {@code realtimeInput.audio} (16 kHz PCM) heard by automatic activity
 * detection, {@code serverContent} with {@code modelTurn} audio parts, transcriptions,
 * {@code interrupted} and {@code turnComplete}, {@code toolCall}/{@code toolResponse}.
 */
final class FakeGemini extends FakeModelServer {

    static final String PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

    FakeGemini() {
        super(16000, PATH);
        speedUp = 2; // Gemini streams a turn about as fast as it generates it
    }

    String url() {
        return url(PATH);
    }

    @Override
    String key(io.javalin.http.Context handshake) {
        return handshake.queryParam("key");
    }

    @Override
    void onOpen(Conn c) {
        // the client speaks first: setup
    }

    @Override
    void onMessage(Conn c, JsonNode m) {
        if (m.has("setup")) {
            c.serverVad = !m.path("setup").path("realtimeInputConfig").path("automaticActivityDetection")
                    .path("disabled").asBoolean(false);
            c.send(Map.of("setupComplete", Map.of()));
        } else if (m.path("realtimeInput").has("activityStart")) {
            speechStarted(c); // START_OF_ACTIVITY_INTERRUPTS, the default activity handling
        } else if (m.path("realtimeInput").has("activityEnd")) {
            c.turns++;
            turnEnded(c);
        } else if (m.path("realtimeInput").has("audio")) {
            hear(c, m.path("realtimeInput").path("audio").path("data").asText());
        } else if (m.has("toolResponse")) {
            JsonNode response = m.path("toolResponse").path("functionResponses").path(0).path("response");
            reply(c, "The tool said " + response.toString().replaceAll("[^A-Za-z0-9]+", " ").trim());
        }
    }

    @Override
    void speechStarted(Conn c) {
        if (stopReplying(c)) {
            c.send(Map.of("serverContent", Map.of("interrupted", true)));
            c.send(Map.of("serverContent", Map.of("turnComplete", true)));
        }
    }

    @Override
    void turnEnded(Conn c) {
        c.send(Map.of("serverContent", Map.of("inputTranscription",
                Map.of("text", "caller turn " + c.turns, "finished", true))));
        String[] tool = toolCall;
        if (tool != null) {
            toolCall = null;
            try {
                c.send(Map.of("toolCall", Map.of("functionCalls", List.of(Map.of("id", "fc_" + c.turns,
                        "name", tool[0], "args", JSON.readTree(tool[1]))))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        reply(c, "Reply number " + c.turns + " from the fake model");
    }

    @Override
    void replyPiece(Conn c, String base64Pcm, String text) {
        c.send(Map.of("serverContent", Map.of("modelTurn", Map.of("parts",
                List.of(Map.of("inlineData", Map.of("mimeType", "audio/pcm;rate=24000", "data", base64Pcm)))))));
        if (!text.isEmpty()) {
            c.send(Map.of("serverContent", Map.of("outputTranscription", Map.of("text", text))));
        }
    }

    /** {@code goAway}, then the session's end, as when a session reaches its time limit. */
    void goAway(Conn c) {
        c.send(Map.of("goAway", Map.of("timeLeft", "0.2s")));
        java.util.concurrent.CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> c.ctx.closeSession(1000, "session time limit"));
    }

    @Override
    void replyDone(Conn c) {
        c.send(Map.of("serverContent", Map.of("generationComplete", true)));
        c.send(Map.of("serverContent", Map.of("turnComplete", true)));
    }
}
