package io.fastrtc.turn;

import io.fastrtc.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Streaming end of turn for {@link ReplyOnPause}: the speech detector judges every input frame
 * (a 30 ms window for libwebrtc's detector, 32 ms for Silero) and the turn ends after
 * {@link #silence()} without speech, so the reply starts that long after the user stops instead of
 * at the end of FastRTC's next 0.6 s chunk ({@link AlgoOptions}).
 *
 * <pre>{@code
 * ReplyOnPause.builder(fn).endpointing(Endpointing.builder().silence(Duration.ofMillis(300)).build())
 * }</pre>
 *
 * <p>With a {@link TurnCompletionModel} the model is asked when silence starts, with the whole turn
 * so far, and its answer picks the silence through {@link #delay()}: short when the user sounds
 * finished, long (capped by {@link #maxWait()}) when not; until it answers, the turn stays open.
 *
 * @param silence silence that ends a turn when there is no turn model (default 400 ms), counted in the audio
 *     from where the speech stopped, so the turn ends as soon as that much silence has been heard
 * @param minSpeech speech needed to open a turn; shorter sounds (a click, a cough) are ignored (200 ms,
 *     FastRTC's {@code started_talking_threshold})
 * @param maxTurn a turn this long ends at once, whatever follows (60 s)
 * @param maxWait the longest silence a turn stays open, whatever the turn model says or however
 *     long it takes to answer (3 s)
 * @param turnModel judges whether the user has finished, or null for the fixed {@code silence}
 * @param delay how the turn model's probability becomes a silence ({@link EndOfTurnDelay#DEFAULTS})
 * @param preemptive start the reply as soon as speech stops, and play it only once the turn ends;
 *     if the user goes on, the reply is interrupted unheard and started again later (the handler may
 *     run more than once per turn)
 */
public record Endpointing(Duration silence, Duration minSpeech, Duration maxTurn, Duration maxWait,
        TurnCompletionModel turnModel, EndOfTurnDelay delay, boolean preemptive) {

    /** 400 ms of silence ends a turn, 200 ms of speech opens one, no turn model, no preemption. */
    public static final Endpointing DEFAULTS = builder().build();

    public Endpointing {
        Checks.positive("silence", silence, Duration.ofMillis(400));
        Checks.positive("minSpeech", minSpeech, Duration.ofMillis(200));
        Checks.positive("maxTurn", maxTurn, Duration.ofSeconds(60));
        Checks.positive("maxWait", maxWait, Duration.ofSeconds(3));
        Objects.requireNonNull(delay, "delay");
        if (maxWait.compareTo(silence) < 0) {
            throw new IllegalArgumentException("maxWait (" + maxWait + ") is the longest silence and must be >= silence ("
                    + silence + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The silence that ends the turn given the model's answer ({@code NaN}: none yet, or it failed). */
    Duration silenceFor(double probability, boolean answered) {
        if (turnModel == null) {
            return silence;
        }
        Duration wait = answered ? delay.silenceFor(probability) : maxWait;
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    public Builder toBuilder() {
        return new Builder().silence(silence).minSpeech(minSpeech).maxTurn(maxTurn).maxWait(maxWait)
                .turnModel(turnModel, delay).preemptive(preemptive);
    }

    /** Builds an {@link Endpointing}; values are checked by {@link #build()}. */
    public static final class Builder {
        private Duration silence = Duration.ofMillis(400);
        private Duration minSpeech = Duration.ofMillis(200);
        private Duration maxTurn = Duration.ofSeconds(60);
        private Duration maxWait = Duration.ofSeconds(3);
        private TurnCompletionModel turnModel;
        private EndOfTurnDelay delay = EndOfTurnDelay.DEFAULTS;
        private boolean preemptive;

        public Builder silence(Duration value) {
            silence = value;
            return this;
        }

        public Builder minSpeech(Duration value) {
            minSpeech = value;
            return this;
        }

        public Builder maxTurn(Duration value) {
            maxTurn = value;
            return this;
        }

        public Builder maxWait(Duration value) {
            maxWait = value;
            return this;
        }

        /** A turn-completion model with {@link EndOfTurnDelay#DEFAULTS} (0.2 s finished, 3 s not). */
        public Builder turnModel(TurnCompletionModel model) {
            return turnModel(model, EndOfTurnDelay.DEFAULTS);
        }

        public Builder turnModel(TurnCompletionModel model, EndOfTurnDelay delay) {
            turnModel = model;
            this.delay = delay;
            return this;
        }

        public Builder preemptive(boolean value) {
            preemptive = value;
            return this;
        }

        public Endpointing build() {
            return new Endpointing(silence, minSpeech, maxTurn, maxWait, turnModel, delay, preemptive);
        }
    }
}
