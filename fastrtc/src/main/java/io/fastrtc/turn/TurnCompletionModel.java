package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import java.util.Objects;

/**
 * Judges from the sound of a turn whether the user has finished speaking: the hook of Pipecat's
 * Smart Turn and LiveKit's turn detector. It is asked when silence starts, and its answer chooses
 * how long to keep waiting before the turn ends ({@link EndOfTurnDelay}): briefly after
 * "finished", up to the maximum after "not finished", so that a user who pauses mid-sentence is
 * not cut off while one who is done gets a quick reply.
 *
 * <p>Pass the whole current turn, from the start of its speech up to now (silence included), and
 * nothing of earlier turns; a model may look only at its end (Smart Turn v3 keeps the last 8 s).
 * If the user speaks again before the turn ends, ask again on the longer turn.
 *
 * <p>One instance serves every connection, so implementations must be thread-safe. A call may
 * take tens of milliseconds: run it off the thread that receives audio. A failure or
 * {@code NaN} is best treated as "not finished" (the maximum wait still ends the turn), which is
 * what {@link EndOfTurnDelay#silenceFor(double)} does with {@code NaN}.
 *
 * <p>Module {@code fastrtc-smart-turn} implements it with Smart Turn v3 on ONNX Runtime; a lambda
 * will do for anything else.
 */
@FunctionalInterface
public interface TurnCompletionModel {

    /** The rate of the samples {@link #completionProbability(float[])} receives. */
    int SAMPLE_RATE = 16000;

    /**
     * The probability, from 0 to 1, that the user has finished their turn.
     *
     * @param turn the turn so far as 16 kHz mono samples in [-1, 1] (16-bit PCM / 32768); not
     *     modified by the model
     */
    double completionProbability(float[] turn);

    /** {@link #completionProbability(float[])} for audio at any rate, mono or stereo. */
    default double completionProbability(AudioFrame turn) {
        Objects.requireNonNull(turn, "turn");
        return completionProbability(turn.toMono().resample(SAMPLE_RATE).toFloat());
    }

    /** Loads and exercises the model so that the first turn does not pay for it. */
    default void warmup() {
    }
}
