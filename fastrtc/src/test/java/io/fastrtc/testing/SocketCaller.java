package io.fastrtc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.MuLaw;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A socket audio client of a stream, as a phone call through Twilio Media Streams (the messages
 * exactly as Twilio documents them) or as a FastRTC WebSocket client. Its microphone streams µ-law
 * in 20 ms chunks in real time once {@link #start} was sent (silence, unless something was
 * {@link #say said}); its speaker plays the media it receives in real time, the way Twilio does:
 * a {@code clear} drops what is buffered, and (Twilio) each {@code mark} is echoed once the audio
 * before it has played, or at once on {@code clear}.
 */
public final class SocketCaller implements AudioClient, AutoCloseable {

    public enum Protocol { TWILIO, FASTRTC }

    /** One media event received: when, how many samples it carried and how loud they were. */
    public record Media(long nanos, int samples, double rms) {
    }

    /** How the socket ended. */
    public record Closed(int code, String reason, long nanos) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Protocol protocol;
    private final int micRate;
    private final int speakerRate;
    private final WebSocket socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Media> media = new CopyOnWriteArrayList<>();
    private final List<TestPeer.Heard> heard = new CopyOnWriteArrayList<>();
    private final List<Long> markEchoes = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<AudioFrame> toSay = new ConcurrentLinkedQueue<>();
    private final StringBuilder partial = new StringBuilder();

    // The speaker (guarded by itself).
    private final ArrayDeque<short[]> buffer = new ArrayDeque<>();
    private final ArrayDeque<Object[]> pendingMarks = new ArrayDeque<>(); // {position in samples, name}
    private long receivedSamples;
    private long playedSamples;

    private volatile boolean running = true;
    private volatile boolean micOn;
    private volatile boolean muted;
    private volatile long markDelayMillis;
    private volatile long speechStarted;
    private volatile long speechEnded;
    private String streamSid;
    private int sequence;
    private int chunk;
    /** Every µ-law byte the microphone sent (guarded by itself). */
    private final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();

    private SocketCaller(Protocol protocol, String url, Map<String, String> headers, int micRate, int speakerRate)
            throws Exception {
        this.protocol = protocol;
        this.micRate = micRate;
        this.speakerRate = speakerRate;
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        socket = builder.buildAsync(URI.create(url), new Listener()).get(20, TimeUnit.SECONDS);
        paced("socket-caller-speaker", 10, this::playTick);
        paced("socket-caller-mic", 20, this::micTick);
    }

    /** A Twilio Media Streams call to {@code url} ({@code ws://.../telephone/handler}), with extra handshake headers. */
    public static SocketCaller twilio(String url, Map<String, String> headers) throws Exception {
        return new SocketCaller(Protocol.TWILIO, url, headers, 8000, 8000);
    }

    /** A FastRTC WebSocket client sending µ-law at {@code micRate} and playing µ-law at {@code speakerRate}. */
    public static SocketCaller fastrtc(String url, int micRate, int speakerRate) throws Exception {
        return fastrtc(url, Map.of(), micRate, speakerRate);
    }

    /** The same, with extra handshake headers (e.g. {@code Authorization}). */
    public static SocketCaller fastrtc(String url, Map<String, String> headers, int micRate, int speakerRate)
            throws Exception {
        return new SocketCaller(Protocol.FASTRTC, url, headers, micRate, speakerRate);
    }

    /**
     * Begins the session and the microphone: Twilio's {@code connected} and {@code start} (with
     * {@code id} as streamSid), or FastRTC's {@code start} with {@code id} as websocket_id.
     */
    public SocketCaller start(String id, Map<String, String> customParameters) {
        if (protocol == Protocol.TWILIO) {
            streamSid = id;
            send(json(Map.of("event", "connected", "protocol", "Call", "version", "1.0.0")));
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("accountSid", "AC00000000000000000000000000000000");
            start.put("streamSid", id);
            start.put("callSid", "CA00000000000000000000000000000001");
            start.put("tracks", List.of("inbound"));
            start.put("mediaFormat", Map.of("encoding", "audio/x-mulaw", "sampleRate", 8000, "channels", 1));
            start.put("customParameters", customParameters);
            send(twilioEvent("start", "start", start));
        } else {
            send(json(Map.of("event", "start", "websocket_id", id)));
        }
        micOn = !muted;
        return this;
    }

    @Override
    public void say(AudioFrame audio) {
        toSay.add(audio.toMono().resample(micRate));
    }

    /** Everything the microphone sent so far, as the server decodes it. */
    public AudioFrame sentAudio() {
        byte[] mulaw;
        synchronized (sent) {
            mulaw = sent.toByteArray();
        }
        return AudioFrame.ofPcm16(micRate, 1, MuLaw.decode(mulaw));
    }

    @Override
    public boolean speaking() {
        return !toSay.isEmpty();
    }

    @Override
    public long speechStartedNanos() {
        return speechStarted;
    }

    @Override
    public long speechEndedNanos() {
        return speechEnded;
    }

    /** Stops the microphone, or keeps it off from {@link #start}: the client keeps the socket but sends nothing. */
    public void muteMicrophone() {
        muted = true;
        micOn = false;
    }

    public void dtmf(String digit) {
        send(twilioEvent("dtmf", "dtmf", Map.of("track", "inbound_track", "digit", digit)));
    }

    /** Twilio's {@code stop}, or FastRTC's. */
    public void stop() {
        micOn = false;
        if (protocol == Protocol.TWILIO) {
            send(twilioEvent("stop", "stop", Map.of("accountSid", "AC00000000000000000000000000000000",
                    "callSid", "CA00000000000000000000000000000001")));
        } else {
            send(json(Map.of("event", "stop")));
        }
    }

    /** Echoes marks this long after their audio has played (Twilio: at once). */
    public void delayMarkEchoes(Duration delay) {
        markDelayMillis = delay.toMillis();
    }

    /** Sends a raw text frame. */
    public synchronized void send(String text) {
        if (!closed.isDone()) {
            socket.sendText(text, true).join();
        }
    }

    /** The next message that is not media, mark or clear, or null after {@code timeout}. */
    public String nextMessage(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a message (other than media) containing {@code fragment}; null if none came. */
    public String awaitMessage(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String m = nextMessage(Duration.ofMillis(100));
            if (m != null && m.contains(fragment)) {
                return m;
            }
        }
        return null;
    }

    /** Every text message received, media included, in order. */
    public List<String> received() {
        return received;
    }

    public List<Media> media() {
        return media;
    }

    @Override
    public List<TestPeer.Heard> heard() {
        return heard;
    }

    /** When each mark was echoed. */
    public List<Long> markEchoes() {
        return markEchoes;
    }

    /** How the socket closed, waiting up to {@code timeout}; null if it is still open. */
    public Closed awaitClosed(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** Drops the connection without a close handshake, as a client that crashed or lost its network. */
    public void vanish() {
        running = false;
        socket.abort();
    }

    @Override
    public void close() {
        running = false;
        if (!closed.isDone()) {
            try {
                synchronized (this) {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
        socket.abort();
    }

    // ---- the microphone and the speaker ----

    private AudioFrame current;
    private int offset;

    private void micTick() {
        if (!micOn || closed.isDone()) {
            return;
        }
        int n = micRate / 50;
        short[] samples = new short[n];
        if (current == null) {
            current = toSay.peek();
            offset = 0;
            if (current != null) {
                speechStarted = System.nanoTime();
            }
        }
        if (current != null) {
            int end = Math.min(offset + n, current.samplesPerChannel());
            System.arraycopy(current.slice(offset, end).toPcm16(), 0, samples, 0, end - offset);
            offset = end;
            if (offset >= current.samplesPerChannel()) {
                toSay.poll();
                current = null;
                speechEnded = System.nanoTime();
            }
        }
        byte[] mulaw = MuLaw.encode(samples);
        synchronized (sent) {
            sent.writeBytes(mulaw);
        }
        String payload = Base64.getEncoder().encodeToString(mulaw);
        if (protocol == Protocol.TWILIO) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("track", "inbound");
            m.put("chunk", Integer.toString(++chunk));
            m.put("timestamp", Integer.toString(chunk * 20));
            m.put("payload", payload);
            send(twilioEvent("media", "media", m));
        } else {
            send(json(Map.of("event", "media", "media", Map.of("payload", payload))));
        }
    }

    private void playTick() {
        List<String> echo = new ArrayList<>();
        synchronized (buffer) {
            int want = speakerRate / 100;
            short[] frame = new short[want];
            int got = 0;
            while (got < want && !buffer.isEmpty()) {
                short[] head = buffer.peek();
                int take = Math.min(want - got, head.length);
                System.arraycopy(head, 0, frame, got, take);
                got += take;
                if (take == head.length) {
                    buffer.poll();
                } else {
                    buffer.poll();
                    buffer.push(Arrays.copyOfRange(head, take, head.length));
                }
            }
            if (got > 0) {
                playedSamples += got;
                heard.add(new TestPeer.Heard(System.nanoTime(),
                        AudioFrame.ofPcm16(speakerRate, 1, Arrays.copyOf(frame, got))));
            }
            while (!pendingMarks.isEmpty() && (long) pendingMarks.peek()[0] <= playedSamples) {
                echo.add((String) pendingMarks.poll()[1]);
            }
        }
        echoMarks(echo);
    }

    private void echoMarks(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        long delay = markDelayMillis;
        Runnable echo = () -> {
            for (String name : names) {
                markEchoes.add(System.nanoTime());
                send(twilioEvent("mark", "mark", Map.of("name", name)));
            }
        };
        if (delay == 0) {
            echo.run();
        } else {
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(echo);
        }
    }

    private void onMessage(String text) throws Exception {
        received.add(text);
        JsonNode m = JSON.readTree(text);
        String event = m.path("event").asText("");
        switch (event) {
            case "media" -> {
                short[] samples = MuLaw.decode(Base64.getDecoder().decode(m.path("media").path("payload").asText()));
                media.add(new Media(System.nanoTime(), samples.length,
                        new TestPeer.Heard(0, AudioFrame.ofPcm16(speakerRate, 1, samples)).rms()));
                synchronized (buffer) {
                    buffer.add(samples);
                    receivedSamples += samples.length;
                }
            }
            case "mark" -> {
                synchronized (buffer) {
                    pendingMarks.add(new Object[] {receivedSamples, m.path("mark").path("name").asText()});
                }
            }
            case "clear" -> {
                List<String> echo = new ArrayList<>();
                synchronized (buffer) {
                    buffer.clear();
                    playedSamples = receivedSamples;
                    while (!pendingMarks.isEmpty()) {
                        echo.add((String) pendingMarks.poll()[1]);
                    }
                }
                echoMarks(echo);
                messages.add(text);
            }
            default -> messages.add(text);
        }
    }

    private String twilioEvent(String event, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.put("sequenceNumber", Integer.toString(++sequence));
        m.put(key, value);
        m.put("streamSid", streamSid);
        return json(m);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void paced(String name, long periodMillis, Runnable tick) {
        Thread t = new Thread(() -> {
            long period = TimeUnit.MILLISECONDS.toNanos(periodMillis);
            long next = System.nanoTime();
            while (running) {
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    // the socket went away; the test sees it in awaitClosed
                }
                next += period;
                long sleep = next - System.nanoTime();
                try {
                    if (sleep > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } else if (-sleep > 10 * period) {
                        next = System.nanoTime();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onMessage(text);
                } catch (Exception e) {
                    messages.add("unparseable: " + text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason, System.nanoTime()));
            running = false;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(1006, String.valueOf(error), System.nanoTime()));
            running = false;
        }
    }
}
