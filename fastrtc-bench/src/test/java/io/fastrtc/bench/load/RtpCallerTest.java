package io.fastrtc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.bench.load.rtp.OpusClip;
import io.fastrtc.bench.load.rtp.OpusEar;
import io.fastrtc.bench.load.rtp.RtpCall;
import io.fastrtc.bench.load.rtp.RtpCallers;
import io.fastrtc.testing.Speech;
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
        AudioFrame speech = Speech.say(ScaleClient.UTTERANCE).resample(48000);
        Map<RtpCall, List<byte[]>> received = new ConcurrentHashMap<>();
        try (CallerTicks.VoiceServer server = CallerTicks.VoiceServer.start();
                RtpCallers callers = new RtpCallers(OpusClip.encode(speech.toPcm16()), ScaleClient.LOUD, true)) {
            callers.tap((call, opus) -> received.computeIfAbsent(call, c -> new CopyOnWriteArrayList<>()).add(opus));
            String url = server.url("/webrtc/offer");
            List<RtpCall> calls = List.of(callers.call(url, "rtp-test-0", 1111), callers.call(url, "rtp-test-1", 2222));
            List<CallerTicks.Line> lines = calls.stream()
                    .map(c -> new CallerTicks.Line(c::rewind, c::speak, c::silence, c::heardLoud)).toList();
            CallerTicks.twoTurns(lines, TICK);
            calls.forEach(c -> assertThat(c.dropped()).isFalse());
            calls.forEach(RtpCall::close);
        }
        for (List<byte[]> packets : received.values()) {
            sameDecisions(packets);
        }
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
}
