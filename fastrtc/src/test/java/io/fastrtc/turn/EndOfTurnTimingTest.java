package io.fastrtc.turn;

import static io.fastrtc.turn.ReplyOnPauseTest.FakeSession;
import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.testing.Speech;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a streaming turn ends, in the audio itself, with libwebrtc's detector (the default): the
 * configured silence is counted from where the speech stopped, not from when the detector (30 ms
 * blocks) and the 20 ms frames got round to saying so.
 */
class EndOfTurnTimingTest {

    private static final int RATE = 48000;
    private static final int SILENCE_MS = 250;

    /** {@code leadMillis} of silence, {@code speech}, then silence, in frames of {@code frameMillis}. */
    private static List<AudioFrame> frames(double leadMillis, AudioFrame speech, int silenceMillis, int frameMillis) {
        int frame = RATE * frameMillis / 1000;
        int lead = (int) Math.round(leadMillis * RATE / 1000);
        int total = lead + speech.samplesPerChannel() + silenceMillis * RATE / 1000;
        total += frame - total % frame;
        short[] s = new short[total];
        System.arraycopy(speech.toPcm16(), 0, s, lead, speech.samplesPerChannel());
        List<AudioFrame> frames = new ArrayList<>();
        for (int at = 0; at < total; at += frame) {
            frames.add(AudioFrame.ofPcm16(RATE, 1, Arrays.copyOfRange(s, at, at + frame)));
        }
        return frames;
    }

    /** The silence between the last sample of speech and the end of the frame after which the reply came, in ms. */
    private static double silenceBeforeReply(AudioFrame speech, double leadMillis, int frameMillis) throws Exception {
        ReplyOnPause handler = ReplyOnPause.builder(audio -> Reply.of(AudioFrame.silence(24000, 1, 100)))
                .endpointing(Endpointing.builder().silence(Duration.ofMillis(SILENCE_MS)).build()).build().copy();
        handler.attach(new FakeSession());
        List<AudioFrame> frames = frames(leadMillis, speech, 1000, frameMillis);
        double speechEnd = leadMillis + speech.durationMillis();
        for (int i = 0; i < frames.size(); i++) {
            handler.receive(frames.get(i));
            if (handler.emit() != null) {
                return (i + 1) * frameMillis - speechEnd;
            }
        }
        return Double.NaN;
    }

    /** The silence before the reply, the speech ending at every 5 ms of the 60 ms over which frames and blocks realign. */
    private static List<Double> silencesBeforeReply(int frameMillis) throws Exception {
        AudioFrame said = Speech.say("What is the weather like today in the city?").resample(RATE);
        AudioFrame speech = said.slice(0, said.samplesPerChannel() / 480 * 480); // ends with a loud 10 ms
        List<Double> silences = new ArrayList<>();
        for (int step = 0; step < 12; step++) {
            silences.add(silenceBeforeReply(speech, 300 + step * 5, frameMillis));
        }
        return silences;
    }

    @Test
    void theTurnEndsOnTheFirstFrameThatCompletesTheSilenceAfterTheSpeech() throws Exception {
        // Never sooner than the silence; later only by the 10 ms the analysis rounds to (5 ms here) and the
        // 20 ms frames (10 ms: the silence starts on a 10 ms boundary). Before, it was 255-290 ms.
        assertThat(silencesBeforeReply(20))
                .allSatisfy(s -> assertThat(s).isBetween((double) SILENCE_MS, SILENCE_MS + 15.0));
    }

    @Test
    void withTenMillisecondFramesItEndsOnTheTenMillisecondsThatCompleteTheSilence() throws Exception {
        // What the streaming mode is given at the declared rate (ReplyOnPause#frameMillis): only the analysis rounds.
        assertThat(silencesBeforeReply(10))
                .allSatisfy(s -> assertThat(s).isBetween((double) SILENCE_MS, SILENCE_MS + 5.0));
    }
}
