package io.fastrtc.speech.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for Deepgram's {@code /v1/listen}, written from its public documentation:
 * {@code Authorization: Token <key>} checked at the handshake (refusals carry {@code dg-error}),
 * linear16 audio as binary messages, {@code Results} with {@code is_final}/{@code speech_final},
 * {@code Finalize}, {@code CloseStream} (last results, {@code Metadata}, close 1000) and
 * {@code KeepAlive}. It "recognises" 100 ms blocks of constant samples: value v is the word
 * {@code w<v>}, 0 is silence; an interim result follows each word when asked for, and a final
 * one every {@link #FINAL_EVERY} blocks and at each silence (which also ends the speech).
 */
public final class FakeDeepgram implements AutoCloseable {

    public static final String KEY = "dg-test-key-4f9a";
    static final int FINAL_EVERY = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    final Javalin app;
    public final String baseUrl;
    /** Refuse every handshake with this HTTP status (0: accept), e.g. 429. */
    volatile int refuse;
    /** Drop the next connection without a close frame once it has this many blocks of audio (0: never). */
    volatile int dropAfterBlocks;
    /** Close the next connection with this code and reason once audio arrives (null: never). */
    volatile Object[] closeWith;
    final List<Map<String, List<String>>> queries = new CopyOnWriteArrayList<>();
    final List<String> controls = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    /** What one connection heard. */
    private static final class Stream {
        final List<Integer> block = new ArrayList<>();
        final List<String> pending = new ArrayList<>(); // words not yet final
        int blocks; // heard so far
        int finalBlocks; // covered by final results
        int rate;
        boolean interim;
    }

    public FakeDeepgram() {
        app = Javalin.create(config -> {
            config.routes.wsBeforeUpgrade("/v1/listen", ctx -> {
                if (refuse != 0) {
                    ctx.header("dg-error", refuse == 429 ? "Too many requests. Please try again later." : "Refused.");
                    ctx.header("Retry-After", "7");
                    throw new HttpResponseException(refuse, "refused", Map.of());
                }
                if (!("Token " + KEY).equals(ctx.header("Authorization"))) {
                    ctx.header("dg-error", "Invalid credentials.");
                    throw new HttpResponseException(401, "Invalid credentials.", Map.of());
                }
            });
            config.routes.ws("/v1/listen", ws -> {
                ws.onConnect(ctx -> {
                    open.incrementAndGet();
                    connections.incrementAndGet();
                    queries.add(ctx.queryParamMap());
                    Stream s = new Stream();
                    s.rate = Integer.parseInt(ctx.queryParam("sample_rate"));
                    s.interim = "true".equals(ctx.queryParam("interim_results"));
                    streams.put(ctx.sessionId(), s);
                });
                ws.onBinaryMessage(ctx -> audio(ctx, streams.get(ctx.sessionId()), ctx.data()));
                ws.onMessage(ctx -> control(ctx, streams.get(ctx.sessionId()), ctx.message()));
                ws.onClose(ctx -> {
                    open.decrementAndGet();
                    streams.remove(ctx.sessionId());
                });
            });
        }).start("127.0.0.1", 0);
        baseUrl = "ws://127.0.0.1:" + app.port();
    }

    /** 100 ms blocks at 16 kHz, each of one constant value: the fake hears value v as the word "w<v>", 0 as silence. */
    public static AudioFrame words(int... values) {
        short[] s = new short[values.length * 1600];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) values[i / 1600];
        }
        return AudioFrame.ofPcm16(16000, 1, s);
    }

    private void audio(WsContext ctx, Stream s, ByteBuffer data) {
        if (closeWith != null) {
            Object[] c = closeWith;
            closeWith = null;
            ctx.closeSession((Integer) c[0], (String) c[1]);
            return;
        }
        ByteBuffer pcm = data.order(ByteOrder.LITTLE_ENDIAN);
        int perBlock = s.rate / 10;
        while (pcm.remaining() >= 2) {
            s.block.add((int) pcm.getShort());
            if (s.block.size() == perBlock) {
                int v = s.block.get(0);
                s.block.clear();
                s.blocks++;
                if (v == 0) {
                    sendFinal(ctx, s, true, false);
                    continue;
                }
                s.pending.add("w" + v);
                if (s.interim) {
                    send(ctx, results(s, String.join(" ", s.pending), false, false, false, s.blocks));
                }
                if (s.blocks - s.finalBlocks >= FINAL_EVERY) {
                    sendFinal(ctx, s, false, false);
                }
                if (dropAfterBlocks > 0 && s.blocks >= dropAfterBlocks) {
                    dropAfterBlocks = 0;
                    ctx.session.disconnect(); // no close frame: the TCP connection just ends
                    return;
                }
            }
        }
    }

    private void control(WsContext ctx, Stream s, String message) throws Exception {
        controls.add(message);
        JsonNode json = JSON.readTree(message);
        switch (json.path("type").asText()) {
            case "Finalize" -> sendFinal(ctx, s, false, true);
            case "CloseStream" -> {
                sendFinal(ctx, s, false, true);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "Metadata");
                m.put("transaction_key", "deprecated");
                m.put("request_id", "8c8ebea9-dbec-45fa-a035-e4632cb05b5f");
                m.put("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
                m.put("created", "2026-12-07T15:00:00.000Z");
                m.put("duration", s.blocks / 10.0);
                m.put("channels", 1);
                send(ctx, JSON.writeValueAsString(m));
                ctx.closeSession(1000, "");
            }
            case "KeepAlive" -> {
                // no reply
            }
            default -> ctx.closeSession(1008, "DATA-0000");
        }
    }

    private void sendFinal(WsContext ctx, Stream s, boolean speechFinal, boolean fromFinalize) {
        if (s.pending.isEmpty() && !speechFinal && !(fromFinalize && s.blocks > s.finalBlocks)) {
            return;
        }
        send(ctx, results(s, String.join(" ", s.pending), true, speechFinal, fromFinalize, s.blocks));
        s.pending.clear();
        s.finalBlocks = s.blocks;
    }

    private static String results(Stream s, String transcript, boolean isFinal, boolean speechFinal,
            boolean fromFinalize, int upToBlock) {
        Map<String, Object> alternative = new LinkedHashMap<>();
        alternative.put("transcript", transcript);
        alternative.put("confidence", 0.98);
        alternative.put("words", List.of());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Results");
        m.put("channel_index", List.of(0, 1));
        m.put("duration", (upToBlock - s.finalBlocks) / 10.0);
        m.put("start", s.finalBlocks / 10.0);
        m.put("is_final", isFinal);
        m.put("speech_final", speechFinal);
        m.put("channel", Map.of("alternatives", List.of(alternative)));
        m.put("metadata", Map.of("request_id", "r", "model_info", Map.of("name", "fake", "version", "1", "arch", "x"),
                "model_uuid", "u"));
        m.put("from_finalize", fromFinalize);
        try {
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(WsContext ctx, String text) {
        ctx.send(text);
    }

    @Override
    public void close() {
        app.stop();
    }
}
