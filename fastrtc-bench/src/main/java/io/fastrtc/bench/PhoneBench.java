package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Phone-call figures over Twilio Media Streams: turn latency (end of the caller's speech to the
 * first reply audio at the phone), barge-in latency (the caller starts talking over a reply to the
 * {@code clear} that stops it on the phone), and how many concurrent calls this machine sustains,
 * with the CPU they cost. The callers are {@link SocketCaller}s speaking Twilio's protocol in this
 * JVM (8 kHz µ-law in 20 ms events, marks echoed as played), so the CPU figure includes them.
 * Run with {@code scripts/bench-phone}; writes {@code fastrtc-bench/reports/phone-latency.md}.
 */
public final class PhoneBench {

    private PhoneBench() {
    }

    record Result(List<Double> turn, List<Double> bargeIn, int missed, double cpuPerCall) {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path report = Path.of(args.length > 1 ? args[1] : "fastrtc-bench/reports/phone-latency.md");
        AudioFrame question = Speech.say("what is the weather like today in the city");
        AudioFrame reply = VoiceBench.tone(330, 4000);
        Stream stream = Stream.builder().audio(ReplyOnPause.builder(audio -> Reply.of(reply))
                .inputSampleRate(16000).build()).concurrencyLimit(256)
                .limits(Limits.DEFAULT.withOffersPerMinute(100_000)) // every simulated call comes from 127.0.0.1
                .build();
        StringBuilder md = new StringBuilder();
        try (StreamServer server = StreamServer.start(stream)) {
            String url = server.baseUrl().replace("http:", "ws:") + "/telephone/handler";
            Result single = run(url, 1, turns, question);
            md.append(String.format(Locale.ROOT, "# Phone call latency (Twilio Media Streams)%n%n"
                    + "Measured %s on %d cores, Java %s, with `scripts/bench-phone %d`. ReplyOnPause with its"
                    + " defaults (16 kHz input, libwebrtc's VAD, streaming end of turn, a reply held at the"
                    + " caller's first sound and cut after 500 ms of speech) answering a 4 s tone; the caller"
                    + " says %.1f s of espeak-ng speech as 8 kHz µ-law in 20 ms events, as Twilio sends it.%n%n",
                    ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), turns, question.durationMillis() / 1000));
            md.append("## One call\n\n| metric | median | p90 | samples |\n|---|---|---|---|\n");
            md.append(row("turn latency (end of speech to first reply audio at the phone)", single.turn));
            md.append(row("barge-in latency (caller starts talking to `clear` at the phone)", single.bargeIn));
            md.append("\nThe reply is held at the caller's first sound, so the phone goes quiet once it has"
                    + " played the up to 200 ms sent ahead; the cut sends `clear`, and Twilio drops what it buffered."
                    + " FastRTC never sends `clear`, so there the phone plays on whatever was sent ahead (at"
                    + " 0.75x real time, seconds of audio), and it only interrupts once the caller's utterance"
                    + " has ended.\n\n");
            md.append("## Concurrent calls\n\n| calls | turn p50 | turn p90 | barge-in p50 | barge-in p90 |"
                    + " turns missed | CPU per call (server and caller) |\n|---|---|---|---|---|---|---|\n");
            int sustained = 1;
            double budget = Math.max(2 * percentile(single.turn, 90), 1500);
            int[] steps = {4, 8, 16, 32, 64, 128};
            for (int calls : steps) {
                Result r = run(url, calls, 3, question);
                md.append(String.format(Locale.ROOT, "| %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d | %.1f %% |%n",
                        calls, percentile(r.turn, 50), percentile(r.turn, 90), percentile(r.bargeIn, 50),
                        percentile(r.bargeIn, 90), r.missed, 100 * r.cpuPerCall));
                System.out.print(md.substring(md.lastIndexOf("| " + calls + " |")));
                if (r.missed == 0 && percentile(r.turn, 90) <= budget) {
                    sustained = calls;
                } else {
                    break;
                }
            }
            md.append(String.format(Locale.ROOT, "%nSustained: **%d concurrent calls**%s (every turn answered,"
                    + " turn-latency p90 within %.0f ms, twice the single-call p90 or 1.5 s). CPU per call is"
                    + " this JVM's CPU time over the run's wall time divided by the calls, as a share of one"
                    + " core; the simulated callers run in the same JVM on the same cores.%n", sustained,
                    sustained == steps[steps.length - 1] ? ", the largest step run" : "", budget));
        } finally {
            stream.close();
        }
        VoiceBench.publish(report, md);
    }

    static Result run(String url, int calls, int turns, AudioFrame question) throws Exception {
        List<Double> turn = new CopyOnWriteArrayList<>();
        List<Double> bargeIn = new CopyOnWriteArrayList<>();
        AtomicInteger missed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(calls);
        long cpuBefore = cpuNanos();
        long wallBefore = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            String sid = "MZbench" + calls + "x" + c;
            Thread t = new Thread(() -> {
                try (SocketCaller caller = SocketCaller.twilio(url, Map.of())) {
                    caller.start(sid, Map.of());
                    Thread.sleep(800);
                    for (int i = 0; i < turns; i++) {
                        caller.say(question);
                        long end = VoiceBench.waitForSpeechEnd(caller);
                        long onset = end < 0 ? -1 : VoiceBench.firstLoud(caller, end, 8000);
                        if (onset < 0) {
                            missed.incrementAndGet();
                            continue;
                        }
                        turn.add((onset - end) / 1e6);
                        Thread.sleep(700); // let the reply play a little
                        int clears = count(caller, "\"clear\"");
                        caller.say(question);
                        long start = VoiceBench.waitForSpeechStart(caller);
                        long cleared = start < 0 ? -1 : awaitCount(caller, "\"clear\"", clears + 1, 4000);
                        if (cleared > 0) {
                            bargeIn.add((cleared - start) / 1e6);
                        }
                        // The interrupting question becomes its own turn: let its reply finish.
                        long spoken = VoiceBench.waitForSpeechEnd(caller);
                        long next = spoken < 0 ? -1 : VoiceBench.firstLoud(caller, spoken, 8000);
                        if (next > 0) {
                            Thread.sleep(4300);
                        }
                    }
                    SocketCaller.Closed closed = caller.awaitClosed(Duration.ZERO);
                    if (closed != null) {
                        System.err.println(sid + ": the server closed the call: " + closed);
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    missed.addAndGet(turns);
                } finally {
                    done.countDown();
                }
            }, sid);
            t.start();
            Thread.sleep(100);
        }
        done.await(20, TimeUnit.MINUTES);
        double cpu = (cpuNanos() - cpuBefore) / (double) (System.nanoTime() - wallBefore) / calls;
        return new Result(turn, bargeIn, missed.get(), cpu);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int count(SocketCaller caller, String fragment) {
        return (int) caller.received().stream().filter(m -> m.contains(fragment)).count();
    }

    /** When the {@code n}th message containing {@code fragment} had arrived (polled), or -1. */
    private static long awaitCount(SocketCaller caller, String fragment, int n, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (count(caller, fragment) >= n) {
                return System.nanoTime();
            }
            Thread.sleep(1);
        }
        return -1;
    }

    private static String row(String metric, List<Double> values) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %d |%n", metric, percentile(values, 50),
                percentile(values, 90), values.size());
    }

    private static double percentile(List<Double> values, int p) {
        return VoiceBench.percentile(values, p);
    }
}
