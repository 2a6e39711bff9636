package io.fastrtc.turn;

import java.util.Objects;
import java.util.concurrent.Executor;

/** The settings of {@link ReplyOnPause.Builder} that only its streaming end of turn has. */
abstract class StreamingTurnBuilder<B extends StreamingTurnBuilder<B>> extends TurnBuilder<B> {

    StreamingTurnBuilder(ReplyOnPause.Options options) {
        super(options);
        options.endpointing = Endpointing.DEFAULTS;
    }

    /**
     * Streaming end of turn (the default, with {@link Endpointing#DEFAULTS}): the turn ends
     * after a silence of the configured length. Replaces {@link #algoOptions}.
     */
    public B endpointing(Endpointing endpointing) {
        options.endpointing = Objects.requireNonNull(endpointing, "endpointing");
        return self();
    }

    /** For tests: run the turn model on {@code executor}. */
    B modelExecutor(Executor executor) {
        options.modelExecutor = executor;
        return self();
    }

    /**
     * When the user's voice cuts a reply (default {@link Interruption#DEFAULTS}: held at the first
     * sound, cut after 500 ms of speech). Setting it in FastRTC's chunked mode also turns
     * {@link #earlyInterrupt} on there, unless that was set.
     */
    public B interruption(Interruption interruption) {
        options.interruption = Objects.requireNonNull(interruption, "interruption");
        if (options.earlyInterrupt == null) {
            options.earlyInterrupt = true;
        }
        return self();
    }

    /**
     * Judge speech over a reply as it is heard, by the {@link #interruption} (the default when
     * streaming), or, as FastRTC, cut the reply when the interrupting turn ends (the default with
     * {@link #algoOptions}, FastRTC's whole behaviour).
     */
    public B earlyInterrupt(boolean early) {
        options.earlyInterrupt = early;
        return self();
    }
}
