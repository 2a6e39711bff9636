package io.fastrtc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Drives the load generator's callers tick by tick in a test, as its pacing thread does. */
final class CallerTicks {

    /** The bench's voice agent ({@link BenchServer#voiceAgent()}) served on a free port of 127.0.0.1. */
    record VoiceServer(Stream stream, Javalin app) implements AutoCloseable {
        static VoiceServer start() {
            Stream stream = Stream.builder().audio(BenchServer.voiceAgent())
                    .limits(Limits.DEFAULT.withOffersPerMinute(100_000)).concurrencyLimit(10).build();
            return new VoiceServer(stream,
                    Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream))).start("127.0.0.1", 0));
        }

        String url(String path) {
            return "http://127.0.0.1:" + app.port() + path;
        }

        @Override
        public void close() {
            app.stop();
            stream.close();
        }
    }

    /** One caller's microphone and ear. */
    record Line(Runnable rewind, BooleanSupplier speak, Runnable silence, BooleanSupplier heardLoud) {
    }

    private CallerTicks() {
    }

    /**
     * A second of silence (nothing loud may come), then two turns: every caller must hear a loud reply
     * within 5 s of the end of its speech, and the reply plays out (2 s) before the next turn.
     */
    static void twoTurns(List<Line> calls, long tick) throws InterruptedException {
        long next = System.nanoTime();
        for (long i = 0; i < TimeUnit.SECONDS.toNanos(1) / tick; i++) {
            calls.forEach(c -> c.silence().run());
            calls.forEach(c -> assertThat(c.heardLoud().getAsBoolean()).as("loud audio before anyone spoke").isFalse());
            next = sleepUntil(next + tick);
        }
        for (int turn = 0; turn < 2; turn++) {
            List<Double> latencies = turn(calls, next, tick);
            next = System.nanoTime();
            System.out.println("turn " + turn + " latencies (end of speech sent to first loud reply audio): "
                    + latencies + " ms");
            assertThat(latencies).as("every caller heard a loud reply within 5 s").hasSize(calls.size());
            assertThat(latencies).allSatisfy(ms -> assertThat(ms).isBetween(50.0, 5000.0));
            for (long i = 0; i < TimeUnit.SECONDS.toNanos(2) / tick; i++) {
                calls.forEach(c -> c.silence().run());
                calls.forEach(c -> c.heardLoud().getAsBoolean());
                next = sleepUntil(next + tick);
            }
        }
    }

    /**
     * Says the utterance on every call, one {@code tick} apart, then waits up to 5 s for each one's
     * first loud reply audio; returns those latencies (end of speech to first loud reply) in ms.
     */
    private static List<Double> turn(List<Line> calls, long next, long tick) throws InterruptedException {
        calls.forEach(c -> c.rewind().run());
        boolean speaking = true;
        while (speaking) {
            speaking = false;
            for (Line c : calls) {
                speaking |= c.speak().getAsBoolean();
                assertThat(c.heardLoud().getAsBoolean()).as("loud audio while the caller speaks").isFalse();
            }
            next = sleepUntil(next + tick);
        }
        long spoke = System.nanoTime();
        List<Double> latencies = new ArrayList<>();
        boolean[] heard = new boolean[calls.size()];
        while (latencies.size() < calls.size() && System.nanoTime() - spoke < TimeUnit.SECONDS.toNanos(5)) {
            for (int i = 0; i < calls.size(); i++) {
                calls.get(i).silence().run();
                if (!heard[i] && calls.get(i).heardLoud().getAsBoolean()) {
                    heard[i] = true;
                    latencies.add((System.nanoTime() - spoke) / 1e6);
                }
            }
            next = sleepUntil(next + tick);
        }
        return latencies;
    }

    private static long sleepUntil(long deadline) throws InterruptedException {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return deadline;
    }
}
