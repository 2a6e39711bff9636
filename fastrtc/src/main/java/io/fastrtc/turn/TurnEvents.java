package io.fastrtc.turn;

import io.fastrtc.handler.HandlerSession;
import io.fastrtc.telemetry.Scope;
import io.fastrtc.telemetry.TurnTelemetry;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One connection's voice turns as {@link TurnTelemetry} events, for {@link ReplyOnPause}.
 *
 * <p>A turn starts when its reply function is called and ends when the reply was heard to the end,
 * was cut, failed or was dropped. A preemptive reply starts its turn when it is produced, during
 * the user's pause: if the user goes on, that turn ends without audio (and records no latency), and
 * the next pause starts another. A greeting ({@code startup}) is no turn.
 *
 * <p>{@link TurnTelemetry#firstAudio}: from the end of the user's speech to the reply's first audio
 * handed to the connection's output (played within one 10 ms tick when nothing is queued before
 * it). {@link TurnTelemetry#interrupted}: from the start of the interrupting speech to the moment
 * the reply went silent (cut, or held by {@link Interruption#pauseOnSound()}), with what was heard
 * of it as {@link Reply.Sink#played()} reports. Times are wall-clock ({@code System.nanoTime})
 * anchored where the turn layer's audio clock puts the events: speech ended where the audio went
 * silent (the arrival of the frame that told, less the silence up to its end; in the chunked mode,
 * the start of the chunk judged a pause), and an interrupting sound began at the start of its first
 * frame of speech (late interruption: its onset before the turn opened).
 *
 * <p>The reply function, each pull of its items and a {@link Reply#generate} producer run within
 * the turn's {@link TurnTelemetry#enter()} scope. Thread-safe: input, output and reply threads all
 * report here.
 */
final class TurnEvents {

    /** The turn whose user code runs on this thread, for {@link Reply#generate} to carry to its producer. */
    private static final ThreadLocal<TurnTelemetry> CURRENT = new ThreadLocal<>();

    private final Supplier<HandlerSession> session;
    private final LongSupplier clock;
    /** When the user's speech of the coming turn ended; -1 while they talk or before any turn. */
    private long speechEnd = -1;
    /** When the user's speech that may interrupt the reply began (-1: none yet). */
    private long speechStart = -1;
    /** When a sound over the reply held it, so the user heard it stop (-1: not held). */
    private long held = -1;
    private TurnTelemetry turn;
    private long turnSpeechEnd;
    private boolean audioSent;
    /** The reply handed over its last item; the turn ends once that was heard. */
    private boolean produced;

    /** @param session the connection (null before it is attached) */
    TurnEvents(Supplier<HandlerSession> session, LongSupplier clock) {
        this.session = session;
        this.clock = clock;
    }

    /** Notes what the end-of-turn {@code event} of the streaming {@code turn} means; returns it. */
    Endpointer.Event heard(Endpointer.Event event, StreamingTurn turn) {
        switch (event) {
            case STARTED -> speechStarted(turn.minSpeechMillis());
            case STOPPED -> speechStopped(turn.silenceMillis());
            case RESUMED -> speechResumed();
            case ENDED -> turnEnded();
            default -> {
            }
        }
        return event;
    }

    /** A chunk of {@code chunkMillis} in the chunked mode: talking {@code started} with it, or it was a {@code pause}. */
    void chunk(boolean started, boolean pause, double chunkMillis) {
        if (started) {
            speechStarted(chunkMillis);
        }
        if (pause) {
            speechStopped(chunkMillis); // somewhere in the chunk judged a pause: at its start
        }
    }

    /** Judges a frame heard over a reply with {@code bargeIn}, noting when a sound starts and holds the reply. */
    BargeIn.Action overReply(BargeIn bargeIn, boolean speech, double frameMillis) {
        if (speech && !bargeIn.sounding()) {
            speechStarted(frameMillis);
        }
        BargeIn.Action action = bargeIn.accept(speech, frameMillis);
        if (action == BargeIn.Action.PAUSE || action == BargeIn.Action.RESUME) {
            held(action == BargeIn.Action.PAUSE);
        }
        return action;
    }

    /** The user stopped talking {@code silentMillis} of audio before the frame heard just now ended. */
    private synchronized void speechStopped(double silentMillis) {
        speechEnd = clock.getAsLong() - (long) (silentMillis * 1e6);
    }

    /** The user talks again before the turn ended. */
    private synchronized void speechResumed() {
        speechEnd = -1;
    }

    /** The turn ended without a pause being seen (the longest turn, a "send" button): the speech ends now. */
    synchronized void turnEnded() {
        if (speechEnd < 0) {
            speechEnd = clock.getAsLong();
        }
    }

    /** The user's speech began {@code onsetMillis} ago (it took that long to tell it was speech). */
    private synchronized void speechStarted(double onsetMillis) {
        speechStart = clock.getAsLong() - (long) (onsetMillis * 1e6);
        held = -1;
    }

    /** A sound over the reply held it (the user hears it stop); {@code false}: the sound was no interruption. */
    private synchronized void held(boolean on) {
        held = on ? clock.getAsLong() : -1;
    }

    /** The reply function is about to be called for the turn that just ended: starts it and enters its scope. */
    Scope begin() {
        return enter(start());
    }

    private synchronized TurnTelemetry start() {
        end();
        HandlerSession s = session.get();
        turn = s == null ? TurnTelemetry.NONE : s.telemetry().turnStarted();
        turnSpeechEnd = speechEnd;
        speechEnd = -1;
        audioSent = false;
        produced = false;
        return turn;
    }

    /** The reply's first audio goes to the connection's output now (later calls: nothing). */
    synchronized void audioSent() {
        if (turn != null && !audioSent) {
            audioSent = true;
            if (turnSpeechEnd >= 0) {
                turn.firstAudio(Duration.ofNanos(Math.max(0, clock.getAsLong() - turnSpeechEnd)));
            }
        }
    }

    /** The reply handed over its last item; {@link #playedOut} ends the turn once it was heard. */
    synchronized void produced() {
        produced = true;
    }

    /** True unless a produced reply is still to be heard (and {@link #playedOut(boolean)} to be called). */
    synchronized boolean playedOut() {
        return !produced || turn == null;
    }

    /** Called while no reply is requested: ends a produced turn once nothing is left to play. */
    synchronized void playedOut(boolean outputPending) {
        if (produced && !outputPending) {
            end();
        }
    }

    /**
     * The user's speech cut the reply now if it was {@code active} (after {@code played} of it was
     * heard); ends the turn either way.
     */
    synchronized void cut(boolean active, Supplier<Duration> played) {
        if (active && turn != null && speechStart >= 0) {
            long silenced = held >= 0 ? held : clock.getAsLong();
            turn.interrupted(Duration.ofNanos(Math.max(0, silenced - speechStart)), played.get());
        }
        speechStart = -1;
        held = -1;
        end();
    }

    /** The reply is over: a produced one's turn lasts until it was heard or cut, any other's ends now. */
    synchronized void replyOver() {
        if (!produced) {
            end();
        }
    }

    /** The reply function's reply was dropped before it began: ends its turn; returns null, the reply to play. */
    <T> T dropped() {
        end();
        return null;
    }

    /** The turn is over (failed, cancelled, the connection ended); nothing if none is open. */
    synchronized void end() {
        TurnTelemetry t = turn;
        turn = null;
        if (t != null) {
            t.ended();
        }
    }

    /** Makes the current turn (if any) current on this thread, for its user code; see {@link #enter(TurnTelemetry)}. */
    Scope enter() {
        TurnTelemetry t;
        synchronized (this) {
            t = turn;
        }
        return t == null ? Scope.NOOP : enter(t);
    }

    /** Enters {@code turn}'s scope on this thread and makes it the one {@link #current()} returns, until closed. */
    static Scope enter(TurnTelemetry turn) {
        TurnTelemetry outer = CURRENT.get();
        CURRENT.set(turn);
        Scope scope;
        try {
            scope = turn.enter();
        } catch (RuntimeException e) {
            CURRENT.set(outer);
            throw e;
        }
        return () -> {
            try {
                scope.close();
            } finally {
                CURRENT.set(outer);
            }
        };
    }

    /** The turn whose user code runs on this thread; {@link TurnTelemetry#NONE} outside one. */
    static TurnTelemetry current() {
        TurnTelemetry t = CURRENT.get();
        return t == null ? TurnTelemetry.NONE : t;
    }
}
