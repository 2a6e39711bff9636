package io.fastrtc.turn;

import io.fastrtc.audio.Layout;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The settings {@link ReplyOnPause.Builder} and {@link ReplyOnStopWords.Builder} share. Values are
 * checked when the handler is built (rates by {@link io.fastrtc.audio.StreamHandler}).
 */
abstract class TurnBuilder<B extends TurnBuilder<B>> {

    final ReplyOnPause.Options options;

    TurnBuilder(ReplyOnPause.Options options) {
        this.options = options;
        options.model = WebRtcVad.shared();
    }

    abstract B self();

    /** A greeting played when a connection starts (FastRTC's {@code startup_fn}). */
    public B startup(ReplyOnPause.StartupFunction greeting) {
        options.startup = greeting;
        return self();
    }

    /**
     * FastRTC's chunked turn detection with these options (its compatible mode: input judged in
     * chunks of {@code audioChunkDurationS}, about 1 s from the end of speech to the reply with
     * the defaults). Replaces streaming {@code endpointing}. Interruption is FastRTC's too: a reply
     * is cut when the utterance over it ends as a turn, never held. With {@code interruption(...)} or
     * {@code earlyInterrupt(true)} on a {@link ReplyOnPause.Builder}, speech over a reply also cuts
     * it once it reaches the minimum; an utterance a chunk takes for a turn still cuts it when it ends.
     */
    public B algoOptions(AlgoOptions algo) {
        options.algo = Objects.requireNonNull(algo, "algo");
        options.endpointing = null;
        return self();
    }

    /** The speech detector (default: libwebrtc's, built in; Silero is in module fastrtc-silero). */
    public B model(PauseDetectionModel model) {
        options.model = Objects.requireNonNull(model, "model");
        return self();
    }

    /** Whether the user can talk over a reply (default true). */
    public B canInterrupt(boolean canInterrupt) {
        options.canInterrupt = canInterrupt;
        return self();
    }

    /** The rate {@code receive} gets (default 48000). */
    public B inputSampleRate(int rate) {
        options.inputSampleRate = rate;
        return self();
    }

    /** The rate replies are played at (default 24000; a multiple of 50). */
    public B outputSampleRate(int rate) {
        options.outputSampleRate = rate;
        return self();
    }

    /** For tests: the clock (ns) turn latencies are measured with. */
    B clock(LongSupplier nanos) {
        options.clock = nanos;
        return self();
    }

    public B expectedLayout(Layout layout) {
        options.layout = Objects.requireNonNull(layout, "layout");
        return self();
    }
}
