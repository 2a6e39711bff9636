package io.fastrtc.speech.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for ElevenLabs' {@code /v1/text-to-speech/{voice_id}/stream-input}, written
 * from its public documentation: {@code xi-api-key} checked at the handshake, a first message
 * whose text is a single space, text buffered until {@code flush}, the first chunk length (120
 * characters) or the empty text that ends the input; audio as base64 {@code pcm_<rate>} with its
 * alignment, then {@code isFinal} and a normal close. Each character "sounds" as 5 ms of samples
 * equal to its code, so the test can read back what was spoken; each generation goes out in two
 * messages split at an odd byte.
 */
public final class FakeElevenLabs implements AutoCloseable {

    public static final String KEY = "xi-test-key-91c2";
    static final String PATH = "/v1/text-to-speech/{voice_id}/stream-input";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Javalin app;
    public final String baseUrl;
    volatile int refuse;
    /** On the next connection: drop without a close frame when its first text arrives, before any audio. */
    volatile boolean dropBeforeAudio;
    /**
     * On the next connection: drop without a close frame right after its first piece of audio,
     * once the client has sent the end of its input, so that no later send of the client's can
     * find the socket gone before its reader has taken that audio.
     */
    public volatile boolean dropAfterAudio;
    /** The connection (counted from 1) that drops without a close frame when its first text arrives. */
    volatile int dropAtFirstTextOf;
    /** How long each handshake takes before the upgrade is answered, as TLS and a distant server would. */
    public volatile long handshakeMillis;
    /** On the next connection: answer the first text with a quota error, then close with 1008. */
    volatile boolean quotaError;
    final List<List<String>> messages = new CopyOnWriteArrayList<>(); // per connection
    final List<String> paths = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    public final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    private static final class Stream {
        final List<String> messages = new CopyOnWriteArrayList<>();
        int number;
        final StringBuilder buffer = new StringBuilder();
        int rate;
        boolean inputEnded;
        boolean dropOnInputEnd;
    }

    public FakeElevenLabs() {
        app = Javalin.create(config -> {
            config.routes.wsBeforeUpgrade(PATH, ctx -> {
                if (handshakeMillis > 0) {
                    Thread.sleep(handshakeMillis);
                }
                if (refuse != 0) {
                    ctx.header("Retry-After", "3");
                    throw new HttpResponseException(refuse, "{\"detail\":{\"status\":\"too_many_concurrent_requests\"}}",
                            Map.of());
                }
                if (!KEY.equals(ctx.header("xi-api-key"))) {
                    throw new HttpResponseException(401, "{\"detail\":{\"status\":\"invalid_api_key\"}}", Map.of());
                }
            });
            config.routes.ws(PATH, ws -> {
                ws.onConnect(ctx -> {
                    open.incrementAndGet();
                    paths.add(ctx.session.getUpgradeRequest().getRequestURI().getPath() + "?" + ctx.queryString());
                    Stream s = new Stream();
                    s.rate = Integer.parseInt(ctx.queryParam("output_format").substring("pcm_".length()));
                    synchronized (messages) { // numbered in the order of the list
                        messages.add(s.messages);
                        s.number = connections.incrementAndGet();
                    }
                    streams.put(ctx.sessionId(), s);
                });
                ws.onMessage(ctx -> text(ctx, streams.get(ctx.sessionId()), ctx.message()));
                ws.onClose(ctx -> {
                    open.decrementAndGet();
                    streams.remove(ctx.sessionId());
                });
            });
        }).start("127.0.0.1", 0);
        baseUrl = "ws://127.0.0.1:" + app.port();
    }

    private void text(WsContext ctx, Stream s, String message) throws Exception {
        s.messages.add(message);
        JsonNode json = JSON.readTree(message);
        String text = json.path("text").asText(null);
        if (s.messages.size() == 1) {
            if (!" ".equals(text)) {
                error(ctx, "The first message must have a text of a single space.", "invalid_request");
            }
            return;
        }
        if (s.dropOnInputEnd) {
            if ("".equals(text)) {
                ctx.session.disconnect();
            }
            return;
        }
        if (dropBeforeAudio || s.number == dropAtFirstTextOf) {
            dropBeforeAudio = false;
            ctx.session.disconnect();
            return;
        }
        if (quotaError) {
            quotaError = false;
            error(ctx, "This request exceeds your quota of 10000. You have 12 credits remaining.", "quota_exceeded");
            return;
        }
        if ("".equals(text)) {
            s.inputEnded = true;
            speak(ctx, s);
            if (s.dropOnInputEnd) {
                return;
            }
            ctx.send("{\"isFinal\":true}");
            ctx.closeSession(1000, "");
            return;
        }
        s.buffer.append(text);
        if (json.path("flush").asBoolean(false) || s.buffer.length() >= 120) {
            speak(ctx, s);
        }
    }

    private static void error(WsContext ctx, String message, String code) throws Exception {
        ctx.send(JSON.writeValueAsString(Map.of("message", message, "error", code, "code", 1008)));
        ctx.closeSession(1008, code);
    }

    private void speak(WsContext ctx, Stream s) throws Exception {
        String text = s.buffer.toString().replaceAll("^ +", "");
        s.buffer.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        int perChar = s.rate / 200;
        short[] samples = new short[text.length() * perChar];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) text.charAt(i / perChar);
        }
        byte[] pcm = AudioFrame.ofPcm16(s.rate, 1, samples).toBytes();
        int cut = (pcm.length / 2) | 1; // odd: a sample split across two messages
        List<String> chars = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<Integer> durations = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            chars.add(String.valueOf(text.charAt(i)));
            starts.add(i * 5);
            durations.add(5);
        }
        Map<String, Object> alignment = Map.of("chars", chars, "charStartTimesMs", starts, "charDurationsMs", durations);
        for (byte[] piece : List.of(Arrays.copyOfRange(pcm, 0, cut), Arrays.copyOfRange(pcm, cut, pcm.length))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("audio", Base64.getEncoder().encodeToString(piece));
            m.put("isFinal", null);
            m.put("normalizedAlignment", alignment);
            m.put("alignment", alignment);
            if (dropAfterAudio) {
                dropAfterAudio = false;
                // Sends are asynchronous: drop only once this piece is on the wire, or the client
                // sees a drop before any audio and (rightly) speaks the whole reply again.
                Callback.Completable sent = new Callback.Completable();
                ctx.session.sendText(JSON.writeValueAsString(m), sent);
                sent.get(5, TimeUnit.SECONDS);
                if (s.inputEnded) {
                    ctx.session.disconnect();
                } else {
                    s.dropOnInputEnd = true;
                }
                return;
            }
            ctx.send(JSON.writeValueAsString(m));
        }
    }

    /** What {@code audio} says: one character per 5 ms. */
    public static String spoken(List<AudioFrame> audio) {
        StringBuilder text = new StringBuilder();
        for (AudioFrame frame : audio) {
            for (short s : frame.toPcm16()) {
                text.append((char) s);
            }
        }
        int perChar = audio.isEmpty() ? 1 : audio.get(0).sampleRate() / 200;
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < text.length(); i += perChar) {
            chars.append(text.charAt(i));
        }
        return chars.toString();
    }

    @Override
    public void close() {
        app.stop();
    }
}
