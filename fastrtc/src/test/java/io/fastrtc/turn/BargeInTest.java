package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.turn.BargeIn.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Smart barge-in on 20 ms speech decisions. */
class BargeInTest {

    private static List<Action> feed(BargeIn b, boolean speech, int millis) {
        List<Action> out = new ArrayList<>();
        for (int t = 0; t < millis; t += 20) {
            Action a = b.accept(speech, 20);
            if (a != Action.NONE) {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void sustainedSpeechInterruptsAtTheMinimumAndShortSoundsNever() {
        BargeIn b = new BargeIn(ReplyOnPauseTest.CUT_AT_250);
        for (int i = 0; i < 20; i++) { // twenty coughs and "mm-hm"s of 200 ms, 200 ms apart
            assertThat(feed(b, true, 200)).isEmpty();
            assertThat(feed(b, false, 200)).isEmpty();
        }
        assertThat(feed(b, true, 240)).isEmpty();
        assertThat(feed(b, true, 20)).containsExactly(Action.INTERRUPT);
    }

    @Test
    void gapsShorterThanTheGapDoNotBreakTheSpeech() {
        BargeIn b = new BargeIn(ReplyOnPauseTest.CUT_AT_250);
        assertThat(feed(b, true, 140)).isEmpty();
        assertThat(feed(b, false, 100)).isEmpty();
        assertThat(feed(b, true, 120)).containsExactly(Action.INTERRUPT);
    }

    @Test
    void withPauseOnSoundTheReplyIsHeldAtOnceAndResumedWhenTheSoundWasShort() {
        BargeIn b = new BargeIn(ReplyOnPauseTest.CUT_AT_250.withPauseOnSound(true).withMinSpeech(Duration.ofMillis(300)));
        assertThat(feed(b, true, 20)).containsExactly(Action.PAUSE);
        assertThat(b.holding()).isTrue();
        assertThat(feed(b, true, 100)).isEmpty();
        assertThat(feed(b, false, 140)).isEmpty();
        assertThat(feed(b, false, 20)).containsExactly(Action.RESUME);
        assertThat(b.holding()).isFalse();
        // Sustained: held, then cut.
        assertThat(feed(b, true, 300)).containsExactly(Action.PAUSE, Action.INTERRUPT);
    }

    @Test
    void byDefaultABackchannelHoldsTheReplyAndHalfASecondOfSpeechCutsIt() {
        BargeIn b = new BargeIn(Interruption.DEFAULTS);
        // "uh-huh": 360 ms of speech around a 60 ms gap, as libwebrtc's detector hears espeak-ng's.
        assertThat(feed(b, true, 120)).containsExactly(Action.PAUSE);
        assertThat(feed(b, false, 60)).isEmpty();
        assertThat(feed(b, true, 240)).isEmpty();
        assertThat(feed(b, false, 140)).isEmpty();
        assertThat(feed(b, false, 20)).as("resumed after a 150 ms gap").containsExactly(Action.RESUME);
        assertThat(feed(b, true, 480)).containsExactly(Action.PAUSE);
        assertThat(feed(b, true, 20)).as("cut at the 25th frame").containsExactly(Action.INTERRUPT);
    }
}
