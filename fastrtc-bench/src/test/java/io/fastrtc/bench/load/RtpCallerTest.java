package io.fastrtc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.bench.load.rtp.OpusClip;
import io.fastrtc.bench.load.rtp.OpusEar;
import io.fastrtc.bench.load.rtp.RtpCall;
import io.fastrtc.bench.load.rtp.RtpCallers;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Speech;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The light WebRTC caller against a real server: the bench's voice agent (ReplyOnPause with its
 * streaming end of turn, answering each turn with a 1 s tone) behind FastRTC's offer route. Two
 * callers share one {@link RtpCallers}; each says the utterance twice and must hear a loud reply to
 * each turn, and nothing loud before it. The packets they received then go through an ear that
 * decodes every packet and through the gated ear the load generator uses: both must call the same
 * packets loud.
 */
class RtpCallerTest {

    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(10);

    @Test
    void callersSpeakAndHearTheVoiceAgentsReply() throws Exception {
        Stream stream = Stream.builder().audio(BenchServer.voiceAgent())
                .limits(Limits.DEFAULT.withOffersPerMinute(100_000)).concurrencyLimit(10).build();
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream))).start("127.0.0.1", 0);
        AudioFrame speech = Speech.say(ScaleClient.UTTERANCE).resample(48000);
        Map<RtpCall, List<byte[]>> received = new ConcurrentHashMap<>();
        try (RtpCallers callers = new RtpCallers(OpusClip.encode(speech.toPcm16()), ScaleClient.LOUD, true)) {
            callers.tap((call, opus) -> received.computeIfAbsent(call, c -> new CopyOnWriteArrayList<>()).add(opus));
            String url = "http://127.0.0.1:" + app.port() + "/webrtc/offer";
            List<RtpCall> calls = List.of(callers.call(url, "rtp-test-0", 1111), callers.call(url, "rtp-test-1", 2222));
            long next = System.nanoTime();
            for (int i = 0; i < 100; i++) { // a second of silence first: nothing loud may come
                calls.forEach(RtpCall::silence);
                calls.forEach(c -> assertThat(c.heardLoud()).as("loud audio before anyone spoke").isFalse());
                next = sleepUntil(next + TICK);
            }
            for (int turn = 0; turn < 2; turn++) {
                List<Double> latencies = turn(calls, next);
                next = System.nanoTime();
                System.out.println("turn " + turn + " latencies (end of speech sent to first loud reply audio): "
                        + latencies + " ms");
                assertThat(latencies).as("every caller heard a loud reply within 5 s").hasSize(calls.size());
                assertThat(latencies).allSatisfy(ms -> assertThat(ms).isBetween(50.0, 5000.0));
                for (int i = 0; i < 200; i++) { // the reply (1 s) plays out
                    calls.forEach(RtpCall::silence);
                    calls.forEach(RtpCall::heardLoud);
                    next = sleepUntil(next + TICK);
                }
            }
            calls.forEach(c -> assertThat(c.dropped()).isFalse());
            calls.forEach(RtpCall::close);
        } finally {
            app.stop();
            stream.close();
        }
        for (List<byte[]> packets : received.values()) {
            sameDecisions(packets);
        }
    }

    /** Says the utterance on every call, then waits for each one's first loud reply audio. */
    private static List<Double> turn(List<RtpCall> calls, long next) throws InterruptedException {
        calls.forEach(RtpCall::rewind);
        boolean speaking = true;
        while (speaking) {
            speaking = false;
            for (RtpCall c : calls) {
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

    /** The gated ear calls exactly the packets loud that decoding every packet calls loud, and skips some. */
    private static void sameDecisions(List<byte[]> packets) {
        OpusEar every = new OpusEar(ScaleClient.LOUD, false);
        OpusEar gated = new OpusEar(ScaleClient.LOUD, true);
        Map<Integer, Integer> sizes = new TreeMap<>();
        int loud = 0;
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            sizes.merge(p.length, 1, Integer::sum);
            boolean full = every.hear(p, 0, p.length);
            assertThat(gated.hear(p, 0, p.length)).as("packet %d of %d (%d bytes)", i, packets.size(), p.length)
                    .isEqualTo(full);
            loud += full ? 1 : 0;
        }
        System.out.println(packets.size() + " packets, " + loud + " loud, gated ear decoded " + gated.decoded()
                + "; sizes (bytes=count) " + sizes);
        assertThat(loud).as("the replies were loud").isGreaterThan(100);
        assertThat(packets.size() - loud).as("and there was silence").isGreaterThan(100);
        assertThat(gated.skipped()).isGreaterThan(0);
    }

    private static long sleepUntil(long deadline) throws InterruptedException {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return deadline;
    }
}
