package io.fastrtc.turn;

import io.fastrtc.audio.Layout;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/** The settings of {@link ReplyOnPause} and {@link ReplyOnStopWords}, shared by every copy. */
class TurnSettings implements Cloneable {
    final ReplyOnPause.ReplyWithInputs fn;
    final boolean needsArgs;
    ReplyOnPause.StartupFunction startup;
    AlgoOptions algo = AlgoOptions.DEFAULT;
    /** Streaming end of turn; null for FastRTC's chunks ({@link #algo}). */
    Endpointing endpointing;
    Interruption interruption = Interruption.DEFAULTS;
    /** Where the turn model runs (its own thread per call; tests run it in place). */
    Executor modelExecutor = StreamingTurn.TURN_MODEL;
    PauseDetectionModel model;
    /** What turn latencies are measured with, in ns (tests step it with the audio). */
    LongSupplier clock = System::nanoTime;
    boolean canInterrupt = true;
    /** Smart barge-in ({@link Interruption}); null until set: on when streaming, off (FastRTC's rule) in chunks. */
    Boolean earlyInterrupt;
    int inputSampleRate = 48000;
    int outputSampleRate = 24000;
    Layout layout = Layout.MONO;

    TurnSettings(ReplyOnPause.ReplyWithInputs fn, boolean needsArgs) {
        this.fn = fn;
        this.needsArgs = needsArgs;
    }

    /** Whether speech over a reply is judged as it is heard, rather than cutting the reply when its turn ends. */
    boolean bargesIn() {
        return canInterrupt && (earlyInterrupt != null ? earlyInterrupt : endpointing != null);
    }

    /** A copy for one handler built; the subclass's own type. */
    @SuppressWarnings("unchecked")
    <T extends TurnSettings> T copy() {
        return (T) clone();
    }

    @Override
    protected TurnSettings clone() {
        try {
            return (TurnSettings) super.clone(); // every field is immutable or shared on purpose
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
