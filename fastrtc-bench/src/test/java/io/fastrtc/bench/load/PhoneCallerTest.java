package io.fastrtc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.testing.Speech;
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
        try (CallerTicks.VoiceServer server = CallerTicks.VoiceServer.start();
                PhoneCaller.Line line = new PhoneCaller.Line(Speech.say(ScaleClient.UTTERANCE))) {
            String url = server.url("/telephone/handler").replace("http:", "ws:");
            List<PhoneCaller> calls = List.of(new PhoneCaller(line, url, "MZphone0", new Random(0)),
                    new PhoneCaller(line, url, "MZphone1", new Random(1)));
            List<CallerTicks.Line> lines = calls.stream()
                    .map(c -> new CallerTicks.Line(c::rewind, c::speak, c::silence, c::heardLoud)).toList();
            CallerTicks.twoTurns(lines, TICK);
            calls.forEach(c -> assertThat(c.dropped()).as("the server kept the call").isFalse());
            calls.forEach(PhoneCaller::close);
        }
    }
}
