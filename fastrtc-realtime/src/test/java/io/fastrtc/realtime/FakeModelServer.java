package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local stand-in for a realtime model's WebSocket endpoint, written from the vendor's public
 * protocol documentation: it checks the key at the handshake (401, or 429 when told to), hears the
 * caller with a simple energy detector (speech = 40 ms above the threshold, end = 400 ms below),
 * and answers each turn with a 440 Hz tone streamed in 100 ms pieces faster than real time. The
 * protocol subclasses say it all in their vendor's messages. A client that turns the server's turn
 * detection off gets answers when it commits its turns instead. Scripts: answer with a tool call
 * first, drop the socket halfway through an answer, report a rate-limit error.
 */
abstract class FakeModelServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int REPLY_HZ = 440;
    private static final double SPEECH_RMS = 1000;
    private static final int START_MS = 40;
    private static final int END_MS = 400;

    /** One model session (one socket). */
    final class Conn {
        final WsContext ctx;
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        /** The caller's speech as the model received it, at the model's input rate. */
        final List<short[]> speech = new CopyOnWriteArrayList<>();
        volatile Thread replying;
        volatile boolean speaking;
        /** False once the client turned the server's turn detection off: it commits turns itself. */
        volatile boolean serverVad = true;
        int loudMs;
        int quietMs;
        int turns;

        Conn(WsContext ctx) {
            this.ctx = ctx;
        }

        synchronized void send(String text) {
            try {
                ctx.send(text);
            } catch (RuntimeException e) {
                // the client went away
            }
        }

        void send(Map<String, ?> message) {
            try {
                send(JSON.writeValueAsString(message));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Drops the socket without a close handshake. */
        void drop() {
            open.remove(ctx); // Jetty reports no close for a socket it disconnects itself
            ctx.session.disconnect();
        }

        boolean replying() {
            return replying != null;
        }
    }

    final int inputRate;
    private final Javalin app;
    final List<Conn> connections = new CopyOnWriteArrayList<>();
    final Map<WsContext, Conn> open = new ConcurrentHashMap<>();
    final AtomicInteger handshakes = new AtomicInteger();
    final List<String> keysSeen = new CopyOnWriteArrayList<>();
    volatile String validKey = "test-key";
    volatile boolean rateLimited;
    volatile int replyMillis = 3000;
    volatile double speedUp = 4;
    /** Answer the first turn with a call of this tool (name, arguments JSON), then with audio. */
    volatile String[] toolCall;
    /** Drop the socket after this much of the next answer was sent (ms), once. */
    volatile int dropAfterMillis = -1;
    /** Answer only this many turns per session. */
    volatile int maxAnswers = Integer.MAX_VALUE;

    FakeModelServer(int inputRate, String path) {
        this.inputRate = inputRate;
        app = Javalin.create();
        app.unsafe.routes.wsBeforeUpgrade(path, ctx -> {
            handshakes.incrementAndGet();
            String key = key(ctx);
            keysSeen.add(String.valueOf(key));
            if (!validKey.equals(key)) {
                throw new HttpResponseException(401, "invalid key");
            }
            if (rateLimited) {
                throw new HttpResponseException(429, "rate limited");
            }
        });
        app.unsafe.routes.ws(path, ws -> {
            ws.onConnect(ctx -> {
                Conn c = new Conn(ctx);
                connections.add(c);
                open.put(ctx, c);
                onOpen(c);
            });
            ws.onMessage(ctx -> {
                Conn c = open.get(ctx);
                JsonNode m = JSON.readTree(ctx.message());
                c.received.add(m);
                onMessage(c, m);
            });
            ws.onClose(ctx -> stopReplying(open.remove(ctx)));
            ws.onError(ctx -> stopReplying(open.remove(ctx)));
        });
        app.start("127.0.0.1", 0);
    }

    /** The key the client presented at the handshake. */
    abstract String key(io.javalin.http.Context handshake);

    abstract void onOpen(Conn c);

    abstract void onMessage(Conn c, JsonNode m);

    /** The caller started talking (after {@link #START_MS} of loud audio). */
    abstract void speechStarted(Conn c);

    /** The caller's turn ended: answer it (audio, or a tool call). */
    abstract void turnEnded(Conn c);

    /** Sends one piece of reply audio (24 kHz PCM16, base64) and its transcript piece. */
    abstract void replyPiece(Conn c, String base64Pcm, String text);

    /** The reply is complete. */
    abstract void replyDone(Conn c);

    String url(String path) {
        return "ws://127.0.0.1:" + app.port() + path;
    }

    /** Feeds caller audio (base64 little-endian PCM16 at the input rate) to the energy detector. */
    void hear(Conn c, String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        short[] pcm = new short[bytes.length / 2];
        double sum = 0;
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
            sum += (double) pcm[i] * pcm[i];
        }
        int ms = pcm.length * 1000 / inputRate;
        boolean loud = pcm.length > 0 && Math.sqrt(sum / pcm.length) > SPEECH_RMS;
        if (!c.serverVad) {
            if (loud) {
                c.speech.add(pcm);
            }
            return;
        }
        if (loud) {
            c.speech.add(pcm);
            c.loudMs += ms;
            c.quietMs = 0;
            if (!c.speaking && c.loudMs >= START_MS) {
                c.speaking = true;
                speechStarted(c);
            }
        } else {
            c.quietMs += ms;
            if (c.quietMs >= END_MS) {
                c.loudMs = 0;
                if (c.speaking) {
                    c.speaking = false;
                    c.turns++;
                    if (c.turns <= maxAnswers) {
                        turnEnded(c);
                    }
                }
            }
        }
    }

    /** Streams a reply tone of {@link #replyMillis} in 100 ms pieces on its own thread. */
    void reply(Conn c, String transcript) {
        int dropAfter = dropAfterMillis;
        dropAfterMillis = -1;
        Thread t = new Thread(() -> {
            int pieces = replyMillis / 100;
            String[] words = transcript.split(" ");
            try {
                for (int i = 0; i < pieces; i++) {
                    if (dropAfter >= 0 && i * 100 >= dropAfter) {
                        c.drop();
                        return;
                    }
                    String text = i < words.length ? words[i] + " " : "";
                    replyPiece(c, Base64.getEncoder().encodeToString(tone(i * 2400, 2400)), text);
                    Thread.sleep((long) (100 / speedUp));
                }
                replyDone(c);
            } catch (InterruptedException e) {
                // interrupted by the caller
            } finally {
                c.replying = null;
            }
        }, "fake-model-reply");
        t.setDaemon(true);
        c.replying = t;
        t.start();
    }

    /** Stops the reply in progress; true if there was one. */
    boolean stopReplying(Conn c) {
        Thread t = c == null ? null : c.replying;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        return false;
    }

    static byte[] tone(int from, int n) {
        byte[] out = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            short s = (short) Math.round(8000 * Math.sin(2 * Math.PI * REPLY_HZ * (from + i) / 24000.0));
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }

    /** Every message of every session that matches. */
    List<JsonNode> received(Predicate<JsonNode> which) {
        List<JsonNode> all = new ArrayList<>();
        for (Conn c : connections) {
            c.received.stream().filter(which).forEach(all::add);
        }
        return all;
    }

    /** Frequency of the caller's speech as the model received it. */
    double speechFrequency(Conn c) {
        Calls.Crossings crossings = new Calls.Crossings();
        c.speech.forEach(crossings::add);
        return crossings.frequency(inputRate);
    }

    int openSockets() {
        return open.size();
    }

    @Override
    public void close() {
        connections.forEach(this::stopReplying);
        app.stop();
    }
}
