package io.fastrtc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Speech;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load generator's phone caller against a real server: the bench's voice agent behind FastRTC's
 * Twilio Media Streams route, reached through {@link PhoneLines} (the generator's own WebSocket
 * client). Two callers share one line; each says the utterance twice and must hear a loud reply to
 * each turn, nothing loud before it, and stay connected (the server closes a socket that breaks the
 * protocol: an unmasked or malformed frame, a bad handshake).
 */
class PhoneCallerTest {

    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void callersSpeakAndHearTheVoiceAgentsReplyOverTwilioMediaStreams() throws Exception {
        Stream stream = Stream.builder().audio(BenchServer.voiceAgent())
                .limits(Limits.DEFAULT.withOffersPerMinute(100_000)).concurrencyLimit(10).build();
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream))).start("127.0.0.1", 0);
        try (PhoneCaller.Line line = new PhoneCaller.Line(Speech.say(ScaleClient.UTTERANCE))) {
            String url = "ws://127.0.0.1:" + app.port() + "/telephone/handler";
            List<PhoneCaller> calls = List.of(new PhoneCaller(line, url, "MZphone0", new Random(0)),
                    new PhoneCaller(line, url, "MZphone1", new Random(1)));
            long next = System.nanoTime();
            for (int i = 0; i < 50; i++) { // a second of silence first: nothing loud may come
                calls.forEach(PhoneCaller::silence);
                calls.forEach(c -> assertThat(c.heardLoud()).as("loud audio before anyone spoke").isFalse());
                next = sleepUntil(next + TICK);
            }
            for (int turn = 0; turn < 2; turn++) {
                List<Double> latencies = turn(calls, next);
                System.out.println("turn " + turn + " latencies (end of speech sent to first loud reply audio): "
                        + latencies + " ms");
                assertThat(latencies).as("every caller heard a loud reply within 5 s").hasSize(calls.size());
                assertThat(latencies).allSatisfy(ms -> assertThat(ms).isBetween(50.0, 5000.0));
                next = System.nanoTime();
                for (int i = 0; i < 100; i++) { // the reply (1 s) plays out, its marks are echoed
                    calls.forEach(PhoneCaller::silence);
                    calls.forEach(PhoneCaller::heardLoud);
                    next = sleepUntil(next + TICK);
                }
            }
            calls.forEach(c -> assertThat(c.dropped()).as("the server kept the call").isFalse());
            calls.forEach(PhoneCaller::close);
        } finally {
            app.stop();
            stream.close();
        }
    }

    /** Says the utterance on every call, then waits for each one's first loud reply audio. */
    private static List<Double> turn(List<PhoneCaller> calls, long next) throws InterruptedException {
        calls.forEach(PhoneCaller::rewind);
        boolean speaking = true;
        while (speaking) {
            speaking = false;
            for (PhoneCaller c : calls) {
                speaking |= c.speak();
                assertThat(c.heardLoud()).as("loud audio while the caller speaks").isFalse();
            }
            next = sleepUntil(next + TICK);
        }
        long spoke = System.nanoTime();
        List<Double> latencies = new ArrayList<>();
        boolean[] heard = new boolean[calls.size()];
        while (latencies.size() < calls.size() && System.nanoTime() - spoke < TimeUnit.SECONDS.toNanos(5)) {
            for (int i = 0; i < calls.size(); i++) {
                calls.get(i).silence();
                if (!heard[i] && calls.get(i).heardLoud()) {
                    heard[i] = true;
                    latencies.add((System.nanoTime() - spoke) / 1e6);
                }
            }
            next = sleepUntil(next + TICK);
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
