package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.AudioClient;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Voice turn-taking figures: turn latency (end of the user's speech to the first reply audio heard
 * by the client), interruption latency (the user starts talking over a reply to the reply going
 * quiet at the client), and how many concurrent ReplyOnPause sessions this machine sustains.
 *
 * <p>Client peers run in this JVM on their own engine; the server is a mounted {@link Stream} on the
 * shared engine. Both share the machine's cores, so the concurrency figure is a lower bound.
 * Run with {@code scripts/bench-voice --sessions}; writes {@code fastrtc-bench/reports/voice-sessions.md}
 * ({@link VoiceModes} compares the turn-taking modes).
 */
public final class VoiceBench {

    private static final double LOUD = 1500;

    private VoiceBench() {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path report = Path.of(args.length > 1 ? args[1] : "fastrtc-bench/reports/voice-sessions.md");
        AudioFrame question = Speech.say("What is the weather like today in the city?").resample(48000);
        AudioFrame reply = tone(330, 4000);
        Stream stream = Stream.builder().audio(new TimedReply(new ReplyOnPause(audio -> Reply.of(reply))))
                .concurrencyLimit(64).build();
        StringBuilder md = new StringBuilder();
        try (StreamServer server = StreamServer.start(stream)) {
            Result single = run(server, 1, turns, question);
            md.append(String.format(Locale.ROOT, "# Voice turn-taking latency%n%n"
                    + "Measured %s on %d cores, Java %s, with `scripts/bench-voice --sessions %d`. ReplyOnPause"
                    + " with its defaults (libwebrtc's VAD, streaming end of turn after 400 ms of silence, a reply"
                    + " held at the first sound over it and cut after 500 ms of speech);"
                    + " the reply is a 4 s tone; the question is %.1f s of espeak-ng speech.%n%n",
                    ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), turns, question.durationMillis() / 1000));
            md.append("## One session\n\n| metric | median | p90 | samples |\n|---|---|---|---|\n");
            md.append(row("turn latency (end of speech to first reply audio)", single.turn));
            md.append(row("interruption latency at the client (user starts talking to reply silent)",
                    single.interrupt));
            md.append(row("interruption latency in the server (first speech frame in the handler to reply"
                    + " flushed)", single.serverInterrupt));
            md.append("\nFastRTC itself only"
                    + " interrupts when the interrupting utterance ends (its issues 341, 417), i.e. after the"
                    + " whole utterance plus a pause. At the client the reply stops when it is held, at the"
                    + " first sound, plus two jitter buffers (the server's for the user's speech, the client's"
                    + " for the reply), which grow on a loaded machine; the in-server figure is the cut.\n\n");
            md.append("## Concurrent sessions\n\n| sessions | turn p50 | turn p90 | interruption p50 |"
                    + " interruption p90 | in-server interruption p90 | turns missed |\n|---|---|---|---|---|---|---|\n");
            int sustained = 1;
            double budget = Math.max(2 * percentile(single.turn, 90), 1500);
            for (int sessions : new int[] {2, 4, 8, 12, 16}) {
                Result r = run(server, sessions, 3, question);
                md.append(String.format(Locale.ROOT, "| %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d |%n",
                        sessions, percentile(r.turn, 50), percentile(r.turn, 90), percentile(r.interrupt, 50),
                        percentile(r.interrupt, 90), percentile(r.serverInterrupt, 90), r.missed));
                System.out.print(md.substring(md.lastIndexOf("| " + sessions + " |")));
                if (r.missed == 0 && percentile(r.turn, 90) <= budget) {
                    sustained = sessions;
                } else {
                    break;
                }
            }
            md.append(String.format(Locale.ROOT, "%nSustained: **%d concurrent sessions** (every turn answered,"
                    + " turn-latency p90 within %.0f ms, twice the single-session p90 or 1.5 s). The client peers"
                    + " and their audio run on the same 2 cores as the server.%n", sustained, budget));
        } finally {
            stream.close();
        }
        publish(report, md);
    }

    /** Writes the report, prints it, and ends the JVM (the engine's threads would keep it alive). */
    static void publish(Path report, CharSequence md) throws java.io.IOException {
        Files.createDirectories(report.getParent());
        Files.writeString(report, md);
        System.out.println(md);
        System.out.println("written to " + report);
        System.exit(0);
    }

    record Result(List<Double> turn, List<Double> interrupt, List<Double> serverInterrupt, int missed) {
    }

    /**
     * The bench's reply handler: times, inside the server, how long after the first loud frame of
     * the interrupting speech reached the handler the reply was cut.
     */
    static final class TimedReply extends ReplyOnPause {
        static final List<Double> CUTS = new CopyOnWriteArrayList<>();
        private volatile long firstLoud;

        TimedReply(ReplyOnPause prototype) {
            super(prototype);
        }

        @Override
        public void receive(AudioFrame frame) {
            if (firstLoud == 0 && attached() && session().outputPending() && rms(frame) > LOUD) {
                firstLoud = System.nanoTime();
            } else if (!attached() || !session().outputPending()) {
                firstLoud = 0;
            }
            super.receive(frame);
        }

        @Override
        protected void onInterrupted() {
            if (firstLoud != 0) {
                CUTS.add((System.nanoTime() - firstLoud) / 1e6);
                firstLoud = 0;
            }
        }

        @Override
        public ReplyOnPause copy() {
            return new TimedReply(this);
        }

        private static double rms(AudioFrame frame) {
            short[] s = frame.toPcm16();
            double sum = 0;
            for (short v : s) {
                sum += (double) v * v;
            }
            return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
        }
    }

    static Result run(StreamServer server, int sessions, int turns, AudioFrame question) throws Exception {
        TimedReply.CUTS.clear();
        List<Double> turn = new CopyOnWriteArrayList<>();
        List<Double> interrupt = new CopyOnWriteArrayList<>();
        int[] missed = {0};
        CountDownLatch done = new CountDownLatch(sessions);
        for (int s = 0; s < sessions; s++) {
            String id = "voice-" + sessions + "-" + s;
            Thread t = new Thread(() -> {
                try (TestPeer peer = new TestPeer(Clients.engine(), id).sendAudio().dataChannel("text")) {
                    if (!Signaling.connect(peer, server.offerUrl(), id).isAnswer()
                            || !peer.awaitConnected(Duration.ofSeconds(20))) {
                        synchronized (missed) {
                            missed[0] += turns;
                        }
                        return;
                    }
                    Thread.sleep(800);
                    for (int i = 0; i < turns; i++) {
                        peer.say(question);
                        long end = waitForSpeechEnd(peer);
                        long onset = end < 0 ? -1 : firstLoud(peer, end, 8000);
                        if (onset < 0) {
                            synchronized (missed) {
                                missed[0]++;
                            }
                            continue;
                        }
                        turn.add((onset - end) / 1e6);
                        Thread.sleep(700); // let the reply play a little
                        peer.say(question);
                        long start = waitForSpeechStart(peer);
                        long quiet = start < 0 ? -1 : firstQuiet(peer, start, 4000);
                        if (quiet > 0) {
                            interrupt.add((quiet - start) / 1e6);
                        }
                        // Let the interrupting question become its own turn and its reply finish.
                        waitForSpeechEnd(peer);
                        long next = firstLoud(peer, peer.speechEndedNanos(), 8000);
                        if (next > 0) {
                            Thread.sleep(4300);
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }, id);
            t.start();
            Thread.sleep(150);
        }
        done.await(20, TimeUnit.MINUTES);
        return new Result(turn, interrupt, new ArrayList<>(TimedReply.CUTS), missed[0]);
    }

    /** How long a client may take to send what it was given to say before the turn counts as missed. */
    private static final long SPEECH_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** When the utterance just queued began to be sent, or -1 if it did not within 30 s (the client is gone). */
    static long waitForSpeechStart(AudioClient peer) throws InterruptedException {
        long before = peer.speechStartedNanos();
        long deadline = System.nanoTime() + SPEECH_TIMEOUT_NANOS;
        while (peer.speechStartedNanos() == before) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(2);
        }
        return peer.speechStartedNanos();
    }

    /** When the utterance being sent was sent in full, or -1 if not within 30 s. */
    static long waitForSpeechEnd(AudioClient peer) throws InterruptedException {
        long deadline = System.nanoTime() + SPEECH_TIMEOUT_NANOS;
        while (peer.speaking() || peer.speechEndedNanos() < peer.speechStartedNanos()) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(2);
        }
        return peer.speechEndedNanos();
    }

    /** Arrival time of the first loud frame after {@code since}, or -1. */
    static long firstLoud(AudioClient peer, long since, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            for (TestPeer.Heard h : peer.heard()) {
                if (h.nanos() > since && h.rms() > LOUD) {
                    return h.nanos();
                }
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /** Arrival time of the first frame after {@code since} that starts 100 ms of quiet, or -1. */
    private static long firstQuiet(TestPeer peer, long since, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            List<TestPeer.Heard> after = new ArrayList<>();
            for (TestPeer.Heard h : peer.heard()) {
                if (h.nanos() > since) {
                    after.add(h);
                }
            }
            for (int i = 0; i + 10 <= after.size(); i++) {
                boolean quiet = true;
                for (int j = i; j < i + 10 && quiet; j++) {
                    quiet = after.get(j).rms() < LOUD / 3;
                }
                if (quiet) {
                    return after.get(i).nanos();
                }
            }
            Thread.sleep(10);
        }
        return -1;
    }

    static AudioFrame tone(int hz, int millis) {
        return tone(hz, millis, 24000);
    }

    static AudioFrame tone(int hz, int millis, int rate) {
        float[] s = new float[(int) ((long) rate * millis / 1000)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.4 * Math.sin(2 * Math.PI * hz * i / (double) rate));
        }
        return AudioFrame.ofFloat(rate, 1, s);
    }

    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String row(String name, List<Double> values) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %d |%n", name, percentile(values, 50),
                percentile(values, 90), values.size());
    }
}
