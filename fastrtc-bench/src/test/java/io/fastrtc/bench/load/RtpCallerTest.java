package io.fastrtc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.bench.load.rtp.OpusClip;
import io.fastrtc.bench.load.rtp.RtpCall;
import io.fastrtc.bench.load.rtp.RtpCallers;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Speech;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The light WebRTC caller against a real server: the bench's voice agent (ReplyOnPause with its
 * streaming end of turn, answering each turn with a 1 s tone) behind FastRTC's offer route. Two
 * callers share one {@link RtpCallers}; each says the utterance and must hear a loud reply, and
 * nothing loud before it.
 */
class RtpCallerTest {

    @Test
    void callersSpeakAndHearTheVoiceAgentsReply() throws Exception {
        Stream stream = Stream.builder().audio(BenchServer.voiceAgent())
                .limits(Limits.DEFAULT.withOffersPerMinute(100_000)).concurrencyLimit(10).build();
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream))).start("127.0.0.1", 0);
        AudioFrame speech = Speech.say(ScaleClient.UTTERANCE).resample(48000);
        try (RtpCallers callers = new RtpCallers(OpusClip.encode(speech.toPcm16()), ScaleClient.LOUD)) {
            String url = "http://127.0.0.1:" + app.port() + "/webrtc/offer";
            List<RtpCall> calls = List.of(callers.call(url, "rtp-test-0", 1111), callers.call(url, "rtp-test-1", 2222));
            long tick = TimeUnit.MILLISECONDS.toNanos(10);
            long next = System.nanoTime();
            for (int i = 0; i < 100; i++) { // a second of silence first: nothing loud may come
                calls.forEach(RtpCall::silence);
                calls.forEach(c -> assertThat(c.heardLoud()).as("loud audio before anyone spoke").isFalse());
                next = sleepUntil(next + tick);
            }
            calls.forEach(RtpCall::rewind);
            boolean speaking = true;
            while (speaking) {
                speaking = false;
                for (RtpCall c : calls) {
                    speaking |= c.speak();
                }
                next = sleepUntil(next + tick);
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
                next = sleepUntil(next + tick);
            }
            System.out.println("turn latencies (end of speech sent to first loud reply audio): " + latencies + " ms");
            assertThat(latencies).as("every caller heard a loud reply within 5 s").hasSize(calls.size());
            assertThat(latencies).allSatisfy(ms -> assertThat(ms).isBetween(50.0, 5000.0));
            calls.forEach(c -> assertThat(c.dropped()).isFalse());
            calls.forEach(RtpCall::close);
        } finally {
            app.stop();
            stream.close();
        }
    }

    private static long sleepUntil(long deadline) throws InterruptedException {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        return deadline;
    }
}
