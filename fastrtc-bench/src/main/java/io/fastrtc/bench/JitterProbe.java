package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.AudioOutput;
import io.fastrtc.engine.AudioReception;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.internal.Pacer;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Where the audio jitter buffer's delay comes from (fastrtc-bench/reports/jitter-buffer-findings.md).
 * Two peers in one process (each with its own engine, as a server and a client are), both sending
 * 48 kHz mono in 10 ms pushes paced as a client microphone is (silence with a 50 ms beep every
 * second); each second, on both sides, libwebrtc's {@code inbound-rtp} counters of the jitter
 * buffer (NetEq): its mean delay, target and minimum per emitted sample, concealed, inserted and
 * removed samples, packets, interarrival jitter; the beep's one-way latency (push to the
 * receiver's sink) and the sender's push cadence (median, p99 and largest gap, gaps over 15 ms).
 *
 * <pre>
 *   JitterProbe [seconds=20] [sdp=ptime10] [skip=2500]   two raw peers: the descriptions as libwebrtc
 *                                                        made them, or with a=ptime:10 added; skip: the
 *                                                        server leaves out a frame every so many ms
 *   JitterProbe stream [seconds=20] [every=1300]         a client peer of a real server whose handler
 *                                                        replies a beep every so many ms (Playback, the
 *                                                        server's negotiation); client side only
 * </pre>
 *
 * Run it as the benchmarks are, inside the network namespace: {@code scripts/netns/bin/java -cp
 * "fastrtc-bench/target/classes:$(cat fastrtc-bench/target/classpath.txt)" io.fastrtc.bench.JitterProbe}.
 */
public final class JitterProbe {

    private static final int RATE = 48000;
    private static final int BEEP_EVERY_MS = 1000;
    private static final int BEEP_MS = 50;
    private static final double LOUD = 3000;

    private JitterProbe() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            opts.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
        if (opts.containsKey("stream")) {
            replyEveryNanos = Long.parseLong(opts.getOrDefault("every", "1300")) * 1_000_000L;
            throughServer(seconds);
            System.exit(0);
        }
        String sdp = opts.getOrDefault("sdp", "none");
        UnaryOperator<String> munge = sdp.startsWith("ptime") ? s -> withPtime(s, sdp.substring(5)) : s -> s;
        skipEveryMs = Integer.parseInt(opts.getOrDefault("skip", "0"));
        try (RtcEngine serverEngine = RtcEngine.create(); RtcEngine clientEngine = RtcEngine.create()) {
            Side server = new Side(serverEngine, "server");
            Side client = new Side(clientEngine, "client");
            String offer = client.session.createOffer();
            server.session.setRemoteDescription(true, munge.apply(offer));
            server.addOutput();
            String answer = server.session.createAnswer();
            client.session.setRemoteDescription(false, munge.apply(answer));
            if (!server.connected.get(20, TimeUnit.SECONDS) || !client.connected.get(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not connected");
            }
            System.out.println("ptime in the applied offer/answer: " + ptime(munge.apply(offer)) + " / "
                    + ptime(munge.apply(answer)));
            System.out.println("s  | side   | jb ms | target | min  | conceal | ins  | rem  | pkts | jitter | beep ms"
                    + " | push gap p50/p99/max ms, >15 ms");
            long start = System.nanoTime();
            for (int s = 1; s <= seconds; s++) {
                long wake = start + s * 1_000_000_000L;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - System.nanoTime()));
                // client: what it hears of the server's sender; server: of the client's
                System.out.println(client.row(s, server) + "\n" + server.row(s, client));
            }
            server.close();
            client.close();
        }
        System.exit(0);
    }

    private static int skipEveryMs;
    private static long replyEveryNanos;

    /**
     * The same at a client peer of a real server: the reply audio goes through the stream's playout
     * (and its silence between replies), the descriptions through its negotiation.
     */
    private static void throughServer(int seconds) throws Exception {
        List<Long> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> heardAtServer = new java.util.concurrent.CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(new Beeper(sent, heardAtServer)).build();
        try (StreamServer server = StreamServer.start(stream);
             TestPeer peer = new TestPeer(Clients.engine(), "probe").sendAudio().dataChannel("text")) {
            if (!Signaling.connect(peer, server.offerUrl(), "probe").isAnswer()
                    || !peer.awaitConnected(java.time.Duration.ofSeconds(20))) {
                throw new IllegalStateException("not connected");
            }
            System.out.println("s  | client jb ms | target | conceal | ins  | rem  | pkts | reply heard after ms"
                    + " | client beep at server after ms");
            AudioReception last = null;
            int seen = 0;
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(1000);
                long spoke = peer.speechStartedNanos(); // the beep said a second ago
                String up = heardAtServer.stream().filter(t -> spoke > 0 && t >= spoke).findFirst()
                        .map(t -> String.format(Locale.ROOT, "%.1f", (t - spoke) / 1e6)).orElse("-");
                peer.say(beep(50));
                AudioReception now = peer.audioReception();
                AudioReception w = last == null || now == null ? now : now.since(last);
                last = now;
                List<TestPeer.Heard> heard = peer.heard();
                List<String> lat = new ArrayList<>();
                for (int i = seen; i < sent.size(); i++) {
                    long at = sent.get(i);
                    for (TestPeer.Heard h : heard) {
                        if (h.nanos() >= at && h.rms() > LOUD) {
                            lat.add(String.format(Locale.ROOT, "%.1f", (h.nanos() - at) / 1e6));
                            break;
                        }
                    }
                }
                seen = sent.size();
                System.out.println(w == null ? s + " | no audio yet" : String.format(Locale.ROOT,
                        "%2d | %12.1f | %6.1f | %7.0f | %4.0f | %4.0f | %4.0f | %s | %s", s, w.meanJitterBufferMillis(),
                        w.meanTargetMillis(), w.concealedSamples(), w.samplesInserted(), w.samplesRemoved(),
                        w.packetsReceived(), lat, up));
            }
        } finally {
            stream.close();
        }
    }

    private static boolean loud(AudioFrame frame) {
        return new TestPeer.Heard(0, frame).rms() > LOUD;
    }

    private static AudioFrame beep(int millis) {
        short[] pcm = new short[RATE * millis / 1000];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (12000 * Math.sin(2 * Math.PI * 1000 * i / (double) RATE));
        }
        return AudioFrame.ofPcm16(RATE, 1, pcm);
    }

    /** Replies with a 50 ms beep every so often (1.3 s unless told); notes when the client's beeps reach it. */
    private static final class Beeper extends StreamHandler {
        private final List<Long> sent;
        private final List<Long> heard;
        private long next = System.nanoTime() + 2_000_000_000L;
        private boolean loud;

        Beeper(List<Long> sent, List<Long> heard) {
            super(48000, io.fastrtc.audio.Layout.MONO, 48000);
            this.sent = sent;
            this.heard = heard;
        }

        @Override
        public void receive(AudioFrame frame) {
            boolean now = loud(frame);
            if (now && !loud) {
                heard.add(System.nanoTime());
            }
            loud = now;
        }

        @Override
        public io.fastrtc.handler.Emit emit() {
            long now = System.nanoTime();
            if (now < next) {
                return null;
            }
            next = now + replyEveryNanos;
            sent.add(now);
            return beep(BEEP_MS);
        }

        @Override
        public StreamHandler copy() {
            return new Beeper(sent, heard);
        }
    }

    private static String withPtime(String sdp, String ms) {
        StringBuilder out = new StringBuilder();
        for (String line : sdp.split("\r\n")) {
            out.append(line).append("\r\n");
            if (line.startsWith("m=audio")) {
                out.append("a=ptime:").append(ms).append("\r\n");
            }
        }
        return out.toString();
    }

    private static String ptime(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=ptime:")) {
                return line.substring(8);
            }
        }
        return "-";
    }

    /** One peer: its session, its sender (pacing and beeps) and its receiver (arrival of beeps). */
    private static final class Side {
        final String name;
        final PeerSession session;
        final CompletableFuture<Boolean> connected = new CompletableFuture<>();
        private final List<Long> pushes = new ArrayList<>();
        private final List<Long> beepsSent = new ArrayList<>();
        private final List<Long> beepsHeard = new ArrayList<>();
        private AudioReception last;
        private volatile boolean closed;
        private boolean loud;

        Side(RtcEngine engine, String name) {
            this.name = name;
            session = engine.newSession(name, IceConfig.DEFAULT, new PeerSession.Listener() {
                @Override
                public void onStateChange(PeerState state) {
                    if (state == PeerState.CONNECTED) {
                        connected.complete(true);
                    }
                }

                @Override
                public void onAudioTrack(AudioInput input) {
                    Thread t = new Thread(() -> listen(input), "probe-listen-" + name);
                    t.setDaemon(true);
                    t.start();
                }
            });
            if (name.equals("client")) {
                addOutput();
                session.createDataChannel("text");
            }
        }

        void addOutput() {
            AudioOutput output = session.addAudioOutput("audio-" + name, "a-" + name);
            AudioFrame beep = beep(10);
            long[] tick = {0};
            Pacer.loop("probe-send-" + name, 10_000_000L, () -> !closed, () -> {
                long ms = tick[0]++ * 10;
                long now = System.nanoTime();
                boolean beeping = ms % BEEP_EVERY_MS < BEEP_MS && ms > 0;
                if (skipEveryMs > 0 && name.equals("server") && ms % skipEveryMs == 500 && ms > 2000) {
                    return; // a silence frame left out: the listener's buffer drains by 10 ms
                }
                output.push(beeping ? beep : AudioFrame.silence(RATE, 1, 10));
                synchronized (this) {
                    pushes.add(now);
                    if (beeping && ms % BEEP_EVERY_MS == 0) {
                        beepsSent.add(now);
                    }
                }
            });
        }

        private void listen(AudioInput input) {
            try {
                while (!closed) {
                    AudioFrame frame = input.take(200, TimeUnit.MILLISECONDS);
                    if (frame == null) {
                        continue;
                    }
                    boolean now = loud(frame);
                    if (now && !loud) {
                        synchronized (this) {
                            beepsHeard.add(System.nanoTime());
                        }
                    }
                    loud = now;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** This side's reception over the last second, of what {@code sender} sent. */
        String row(int second, Side sender) throws Exception {
            AudioReception now = session.audioReception().get(2, TimeUnit.SECONDS);
            AudioReception w = last == null || now == null ? now : now.since(last);
            last = now;
            String beep = sender.beepLatency(this);
            String cadence = sender.cadence();
            if (w == null) {
                return String.format(Locale.ROOT, "%2d | %-6s | no inbound audio yet", second, name);
            }
            return String.format(Locale.ROOT, "%2d | %-6s | %5.1f | %6.1f | %4.1f | %7.0f | %4.0f | %4.0f | %4.0f | %6.1f | %7s | %s",
                    second, name, w.meanJitterBufferMillis(), w.meanTargetMillis(), w.meanMinimumMillis(),
                    w.concealedSamples(), w.samplesInserted(), w.samplesRemoved(), w.packetsReceived(),
                    w.jitterSeconds() * 1000, beep, cadence);
        }

        /** The latency of the latest beep this side sent that {@code receiver} heard. */
        String beepLatency(Side receiver) {
            long sent;
            synchronized (this) {
                if (beepsSent.isEmpty()) {
                    return "-";
                }
                sent = beepsSent.get(beepsSent.size() - 1);
            }
            synchronized (receiver) {
                for (long heard : receiver.beepsHeard) {
                    if (heard >= sent && heard - sent < 500_000_000L) {
                        return String.format(Locale.ROOT, "%.1f", (heard - sent) / 1e6);
                    }
                }
            }
            return "?";
        }

        /** The intervals between this side's pushes since the last call. */
        synchronized String cadence() {
            if (pushes.size() < 3) {
                return "-";
            }
            double[] gaps = new double[pushes.size() - 1];
            for (int i = 1; i < pushes.size(); i++) {
                gaps[i - 1] = (pushes.get(i) - pushes.get(i - 1)) / 1e6;
            }
            long last = pushes.get(pushes.size() - 1);
            pushes.clear();
            pushes.add(last);
            Arrays.sort(gaps);
            long late = Arrays.stream(gaps).filter(g -> g > 15).count();
            return String.format(Locale.ROOT, "%.1f/%.1f/%.1f, %d", gaps[gaps.length / 2],
                    gaps[(int) (gaps.length * 0.99)], gaps[gaps.length - 1], late);
        }

        void close() {
            closed = true;
            session.close();
        }
    }
}
