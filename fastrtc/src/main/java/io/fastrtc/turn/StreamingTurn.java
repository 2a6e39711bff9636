package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.internal.Threads;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReplyOnPause}'s streaming mode for one connection: frames and their speech decisions go
 * to the {@link Endpointer}, and the turn model, if any, is asked off the input thread at every stop
 * of speech; its answer is handed back under the handler's lock. Called under that lock.
 */
final class StreamingTurn {

    /** Turn-model calls run on their own threads, off the connection's input thread. */
    static final Executor TURN_MODEL = Threads.perTask("fastrtc-turn-model");
    private static final Logger LOG = LoggerFactory.getLogger(StreamingTurn.class);

    private final Endpointing options;
    private final Endpointer endpointer;
    private final Executor executor;
    private final Object lock;
    /**
     * The turn so far at this frame's stop of speech, made only when asked for (the turn model, a
     * preemptive reply) and once for both: it may be converted from the caller's rate to make it.
     */
    private AudioFrame stopped;

    StreamingTurn(Endpointing options, Interruption interruption, Executor executor, Object lock) {
        this.options = options;
        this.endpointer = new Endpointer(options, interruption.minSpeech());
        this.executor = executor;
        this.lock = lock;
    }

    /** How turns' audio is made from their frames (see {@link CallerRateTurns}). */
    void turnAudio(Endpointer.TurnAudio audio) {
        endpointer.turnAudio(audio);
    }

    /** A frame heard while a reply plays: kept as the audio before the next turn, opens none. */
    void overReply(AudioFrame frame) {
        endpointer.accept(frame, false);
    }

    /** The speech that interrupted a reply opens a turn. */
    Endpointer.Event interrupted() {
        return endpointer.startNow();
    }

    /**
     * One frame and its speech decision ({@code silentMillis}: see {@link Endpointer#accept(AudioFrame,
     * boolean, double)}); at a stop of speech the turn model is asked.
     */
    Endpointer.Event accept(AudioFrame frame, boolean speech, double silentMillis) {
        Endpointer.Event event = endpointer.accept(frame, speech, silentMillis);
        stopped = null;
        TurnCompletionModel model = options.turnModel();
        if (event == Endpointer.Event.STOPPED && model != null) {
            AudioFrame turn = stoppedTurn();
            long stop = endpointer.stop();
            executor.execute(() -> ask(model, stop, turn));
        }
        return event;
    }

    /** The turn up to the stop of speech {@link #accept} just reported (for a preemptive reply). */
    AudioFrame stoppedTurn() {
        if (stopped == null) {
            stopped = endpointer.turnSoFar();
        }
        return stopped;
    }

    /** The speech that opens a turn, in ms. */
    double minSpeechMillis() {
        return options.minSpeech().toNanos() / 1e6;
    }

    /** How long the pause in the open turn has lasted, in ms of audio. */
    double silenceMillis() {
        return endpointer.silenceMillis();
    }

    /** The turn that just ended. */
    AudioFrame takeTurn() {
        return endpointer.takeTurn();
    }

    private void ask(TurnCompletionModel model, long stop, AudioFrame turn) {
        double p;
        try {
            p = model.completionProbability(turn);
        } catch (RuntimeException e) {
            LOG.warn("the turn-completion model failed; waiting the longest silence", e);
            p = Double.NaN;
        }
        synchronized (lock) {
            endpointer.answer(stop, p);
        }
    }
}
