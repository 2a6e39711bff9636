package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The policy from a turn-completion probability to the silence that ends the turn. */
class EndOfTurnDelayTest {

    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration LONG = Duration.ofSeconds(3);

    @Test
    void defaultsArePipecatsUseOfSmartTurn() {
        assertThat(EndOfTurnDelay.DEFAULTS).isEqualTo(new EndOfTurnDelay(SHORT, LONG, 0.5));
    }

    @Test
    void aFinishedTurnEndsAfterTheShortSilenceAnUnfinishedOneAfterTheLong() {
        EndOfTurnDelay delay = EndOfTurnDelay.DEFAULTS;
        assertThat(delay.silenceFor(0.97)).isEqualTo(SHORT);
        assertThat(delay.silenceFor(0.51)).isEqualTo(SHORT);
        assertThat(delay.silenceFor(0.12)).isEqualTo(LONG);
        assertThat(delay.silenceFor(0.0)).isEqualTo(LONG);
    }

    @Test
    void theThresholdIsStrictAsInSmartTurn() {
        EndOfTurnDelay delay = EndOfTurnDelay.DEFAULTS;
        assertThat(delay.isFinished(0.5)).isFalse();
        assertThat(delay.silenceFor(0.5)).isEqualTo(LONG);
        assertThat(delay.isFinished(Math.nextUp(0.5))).isTrue();
        EndOfTurnDelay eager = delay.withThreshold(0.3);
        assertThat(eager.silenceFor(0.4)).isEqualTo(SHORT);
        assertThat(delay.silenceFor(0.4)).isEqualTo(LONG);
    }

    @Test
    void aModelThatCannotTellGetsTheLongWait() {
        assertThat(EndOfTurnDelay.DEFAULTS.isFinished(Double.NaN)).isFalse();
        assertThat(EndOfTurnDelay.DEFAULTS.silenceFor(Double.NaN)).isEqualTo(LONG);
    }

    @Test
    void theRemainingWaitCountsFromTheEndOfSpeechNotFromTheAnswer() {
        EndOfTurnDelay delay = EndOfTurnDelay.DEFAULTS;
        // The model answered 250 ms into the silence: a finished turn ends now, an unfinished one 2.75 s later.
        assertThat(delay.remaining(0.9, Duration.ofMillis(250))).isEqualTo(Duration.ZERO);
        assertThat(delay.remaining(0.9, Duration.ofMillis(120))).isEqualTo(Duration.ofMillis(80));
        assertThat(delay.remaining(0.1, Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(2750));
        assertThat(delay.remaining(0.1, Duration.ofSeconds(5))).isEqualTo(Duration.ZERO);
    }

    @Test
    void withersChangeOneValue() {
        EndOfTurnDelay delay = EndOfTurnDelay.DEFAULTS.withFinished(Duration.ofMillis(300))
                .withUnfinished(Duration.ofSeconds(2));
        assertThat(delay).isEqualTo(new EndOfTurnDelay(Duration.ofMillis(300), Duration.ofSeconds(2), 0.5));
        assertThat(delay.silenceFor(0.8)).isEqualTo(Duration.ofMillis(300));
        assertThat(delay.silenceFor(0.2)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void badValuesAreRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> new EndOfTurnDelay(Duration.ofMillis(-1), LONG, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finished must be >= 0");
        assertThatThrownBy(() -> new EndOfTurnDelay(LONG, SHORT, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unfinished (PT0.2S)");
        assertThatThrownBy(() -> EndOfTurnDelay.DEFAULTS.withThreshold(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1.5");
        assertThatThrownBy(() -> EndOfTurnDelay.DEFAULTS.withThreshold(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new EndOfTurnDelay(null, LONG, 0.5)).isInstanceOf(NullPointerException.class);
    }
}
