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
    private static final int FRAME = RATE / 50;
    private static final int SILENCE_MS = 250;

    /** {@code leadMillis} of silence, {@code speech}, then silence: 20 ms frames. */
    private static List<AudioFrame> frames(double leadMillis, AudioFrame speech, int silenceMillis) {
        int lead = (int) Math.round(leadMillis * RATE / 1000);
        int total = lead + speech.samplesPerChannel() + silenceMillis * RATE / 1000;
        total += FRAME - total % FRAME;
        short[] s = new short[total];
        System.arraycopy(speech.toPcm16(), 0, s, lead, speech.samplesPerChannel());
        List<AudioFrame> frames = new ArrayList<>();
        for (int at = 0; at < total; at += FRAME) {
            frames.add(AudioFrame.ofPcm16(RATE, 1, Arrays.copyOfRange(s, at, at + FRAME)));
        }
        return frames;
    }

    /** The silence between the last sample of speech and the end of the frame after which the reply came, in ms. */
    private static double silenceBeforeReply(AudioFrame speech, double leadMillis) throws Exception {
        ReplyOnPause handler = ReplyOnPause.builder(audio -> Reply.of(AudioFrame.silence(24000, 1, 100)))
                .endpointing(Endpointing.builder().silence(Duration.ofMillis(SILENCE_MS)).build()).build().copy();
        handler.attach(new FakeSession());
        List<AudioFrame> frames = frames(leadMillis, speech, 1000);
        double speechEnd = leadMillis + speech.durationMillis();
        for (int i = 0; i < frames.size(); i++) {
            handler.receive(frames.get(i));
            if (handler.emit() != null) {
                return (i + 1) * 20.0 - speechEnd;
            }
        }
        return Double.NaN;
    }

    @Test
    void theTurnEndsOnTheFirstFrameThatCompletesTheSilenceAfterTheSpeech() throws Exception {
        AudioFrame said = Speech.say("What is the weather like today in the city?").resample(RATE);
        AudioFrame speech = said.slice(0, said.samplesPerChannel() / 480 * 480); // ends with a loud 10 ms
        List<Double> silences = new ArrayList<>();
        // Speech ending at every 5 ms step of the 60 ms over which the 20 ms frames and 30 ms blocks realign.
        for (int step = 0; step < 12; step++) {
            silences.add(silenceBeforeReply(speech, 300 + step * 5));
        }
        // Never sooner than the silence; later only by the 10 ms the analysis rounds to (5 ms here) and the
        // 20 ms frames (10 ms: the silence starts on a 10 ms boundary). Before, it was 270-320 ms.
        assertThat(silences).allSatisfy(s -> assertThat(s).isBetween((double) SILENCE_MS, SILENCE_MS + 15.0));
    }
}
