package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.turn.Endpointer.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming end-of-turn state machine on 20 ms frames whose speech decisions the test gives; audio time is the clock. */
class EndpointerTest {

    private final List<Event> events = new ArrayList<>();
    private int frame;
    /** The index of each frame's event, for "when" assertions. */
    private final List<Integer> at = new ArrayList<>();

    private void feed(Endpointer e, boolean speech, int millis) {
        for (int t = 0; t < millis; t += 20) {
            Event ev = e.accept(ReplyOnPauseTest.frame(speech), speech);
            if (ev != Event.NONE) {
                events.add(ev);
                at.add(frame);
            }
            frame++;
        }
    }

    @Test
    void aTurnOpensAfterTheMinimumSpeechAndEndsAfterTheSilenceToTheFrame() {
        Endpointer e = new Endpointer(Endpointing.DEFAULTS);
        feed(e, false, 1000);
        feed(e, true, 60); // a click: too short
        feed(e, false, 200);
        assertThat(events).isEmpty();
        feed(e, true, 1000);
        assertThat(events).containsExactly(Event.STARTED);
        assertThat(at.get(0)).as("the 10th speech frame: 200 ms").isEqualTo(50 + 3 + 10 + 9);
        feed(e, false, 1000);
        assertThat(events).containsExactly(Event.STARTED, Event.STOPPED, Event.ENDED);
        int firstSilent = 50 + 3 + 10 + 50;
        assertThat(at.get(1)).isEqualTo(firstSilent);
        assertThat(at.get(2)).as("400 ms of silence = the 20th silent frame").isEqualTo(firstSilent + 19);
        AudioFrame turn = e.takeTurn();
        // 300 ms before the speech (plus the window that may open it) + 1 s speech + 400 ms silence.
        assertThat(turn.durationMillis()).isBetween(1700.0, 1700.0 + 200 + Endpointer.GAP_MS);
        assertThat(e.takeTurn()).isNull();
        assertThat(e.open()).isFalse();
    }

    @Test
    void speechBeforeTheSilenceIsOverKeepsTheTurnOpen() {
        Endpointer e = new Endpointer(Endpointing.DEFAULTS);
        feed(e, true, 400);
        feed(e, false, 380); // one frame short of the silence
        feed(e, true, 200);
        feed(e, false, 400);
        assertThat(events).containsExactly(Event.STARTED, Event.STOPPED, Event.RESUMED, Event.STOPPED, Event.ENDED);
    }

    @Test
    void thePauseCountsFromWhereTheAudioWentSilentSoTheTurnEndsOnTheFrameThatCompletesTheSilence() {
        Endpointer e = new Endpointer(Endpointing.builder().silence(Duration.ofMillis(250)).build());
        feed(e, true, 400);
        // The frame that tells the speech stopped: the audio has been silent for 50 ms by its end.
        assertThat(e.accept(ReplyOnPauseTest.frame(false), false, 50)).isEqualTo(Event.STOPPED);
        assertThat(e.silenceMillis()).isEqualTo(50);
        int frames = 0;
        Event ev = Event.NONE;
        while (ev == Event.NONE) {
            ev = e.accept(ReplyOnPauseTest.frame(false), false, Double.NaN); // counted from then on
            frames++;
        }
        assertThat(ev).isEqualTo(Event.ENDED);
        assertThat(50 + frames * 20).as("exactly the 250 ms, not 250 ms after the frame that told").isEqualTo(250);
    }

    @Test
    void maxTurnEndsALongTurnAtOnce() {
        Endpointer e = new Endpointer(Endpointing.builder().maxTurn(Duration.ofSeconds(1)).build());
        feed(e, true, 3000);
        assertThat(events).startsWith(Event.STARTED, Event.ENDED, Event.STARTED);
        assertThat(at.get(0)).isEqualTo(9);
        assertThat(at.get(1)).as("1 s of turn, counting the 200 ms that opened it").isEqualTo(49);
    }

    @Test
    void theTurnModelPicksTheSilenceAndAnAnswerAboutAnEarlierStopIsIgnored() {
        EndOfTurnDelay delay = new EndOfTurnDelay(Duration.ofMillis(100), Duration.ofMillis(1500), 0.5);
        Endpointer e = new Endpointer(Endpointing.builder().turnModel(turn -> 0, delay).build());
        // Finished: the turn ends 100 ms after speech, well before the 400 ms fixed silence.
        feed(e, true, 400);
        feed(e, false, 20);
        e.answer(e.stop(), 0.9);
        feed(e, false, 500);
        assertThat(events).containsExactly(Event.STARTED, Event.STOPPED, Event.ENDED);
        assertThat(at.get(2) - at.get(1)).as("5 silent frames").isEqualTo(4);

        // Not finished: it waits the long silence; a late "finished" about the earlier stop changes nothing.
        events.clear();
        at.clear();
        feed(e, true, 400);
        feed(e, false, 20);
        long earlier = e.stop();
        e.answer(earlier, 0.1);
        feed(e, false, 1000);
        assertThat(events).containsExactly(Event.STARTED, Event.STOPPED);
        feed(e, true, 100);
        e.answer(earlier, 0.99);
        feed(e, false, 20);
        e.answer(earlier, 0.99);
        e.answer(e.stop(), 0.1);
        feed(e, false, 1000);
        assertThat(events).containsExactly(Event.STARTED, Event.STOPPED, Event.RESUMED, Event.STOPPED);
        feed(e, false, 500);
        assertThat(events).endsWith(Event.ENDED);
        assertThat(at.get(at.size() - 1) - at.get(at.size() - 2)).as("1500 ms: 75 frames").isEqualTo(74);
    }

    @Test
    void withoutAnAnswerTheTurnEndsAtTheMaximumWait() {
        Endpointer e = new Endpointer(Endpointing.builder().turnModel(turn -> 0)
                .maxWait(Duration.ofMillis(800)).build());
        feed(e, true, 400);
        feed(e, false, 2000);
        assertThat(events).containsExactly(Event.STARTED, Event.STOPPED, Event.ENDED);
        assertThat(at.get(2) - at.get(1)).isEqualTo(39);
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> Endpointing.builder().silence(Duration.ZERO).build())
                .hasMessageContaining("silence");
        assertThatThrownBy(() -> Endpointing.builder().silence(Duration.ofSeconds(5)).build())
                .hasMessageContaining("maxWait");
        assertThatThrownBy(() -> new Interruption(Duration.ofMillis(-1), Duration.ofMillis(1), false))
                .hasMessageContaining("minSpeech");
    }
}
