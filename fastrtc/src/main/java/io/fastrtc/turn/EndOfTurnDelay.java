package io.fastrtc.turn;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TurnCompletionModel}'s answer becomes the silence that ends a turn: {@code finished}
 * after the end of speech when the probability is above {@code threshold}, {@code unfinished}
 * otherwise. Both are counted from the end of speech, not from the model's answer, so the time the
 * model took is not added to the wait ({@link #remaining}).
 *
 * <p>The same two-level scheme as the systems it comes from: Smart Turn calls a turn complete when
 * its probability is above 0.5, and Pipecat then ends the turn at the voice detector's 0.2 s stop,
 * or after 3 s of silence when the model said "incomplete"; LiveKit waits its minimum delay (0.5 s)
 * or, below the detector's threshold, its maximum (3 s). {@link #DEFAULTS} are Pipecat's numbers.
 *
 * @param finished the silence that ends a turn the model thinks is finished
 * @param unfinished the silence that ends it anyway when the model thinks it is not (the maximum wait)
 * @param threshold probabilities strictly above it mean "finished"
 */
public record EndOfTurnDelay(Duration finished, Duration unfinished, double threshold) {

    /** 0.2 s when finished, 3 s when not, threshold 0.5: Pipecat's use of Smart Turn v3. */
    public static final EndOfTurnDelay DEFAULTS =
            new EndOfTurnDelay(Duration.ofMillis(200), Duration.ofSeconds(3), 0.5);

    public EndOfTurnDelay {
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(unfinished, "unfinished");
        if (finished.isNegative()) {
            throw new IllegalArgumentException("finished must be >= 0, got " + finished);
        }
        if (unfinished.compareTo(finished) < 0) {
            throw new IllegalArgumentException("unfinished (" + unfinished + ") is the longer wait and must be >= "
                    + "finished (" + finished + ")");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold is a probability between 0 and 1, got " + threshold);
        }
    }

    /** Whether {@code probability} means the user has finished; {@code NaN} does not. */
    public boolean isFinished(double probability) {
        return probability > threshold;
    }

    /**
     * The silence after the end of speech at which the turn ends, given the model's probability
     * that the user has finished. {@code NaN} (a model that could not tell) gets the longer wait.
     */
    public Duration silenceFor(double probability) {
        return isFinished(probability) ? finished : unfinished;
    }

    /**
     * How much longer to wait when {@code silenceSoFar} has already passed since the end of speech
     * (zero once the turn should have ended).
     */
    public Duration remaining(double probability, Duration silenceSoFar) {
        Objects.requireNonNull(silenceSoFar, "silenceSoFar");
        Duration left = silenceFor(probability).minus(silenceSoFar);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public EndOfTurnDelay withFinished(Duration value) {
        return new EndOfTurnDelay(value, unfinished, threshold);
    }

    public EndOfTurnDelay withUnfinished(Duration value) {
        return new EndOfTurnDelay(finished, value, threshold);
    }

    public EndOfTurnDelay withThreshold(double value) {
        return new EndOfTurnDelay(finished, unfinished, value);
    }
}
