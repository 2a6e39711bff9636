package io.fastrtc.handler;

import io.fastrtc.telemetry.SessionTelemetry;
import java.time.Duration;

/**
 * What a connection offers the stateful handler bound to it (FastRTC's {@code StreamHandlerBase}
 * services). Implemented by every transport; handlers reach it through their protected helpers.
 */
public interface HandlerSession {

    /** The connection, for ids and client messages. */
    Context context();

    /** Sends a raw text message to the client (data channel or WebSocket). */
    void sendMessage(String text);

    /** Drops every output frame not yet played (barge-in). */
    void clearQueue();

    /** True while output is queued and not yet played. */
    boolean outputPending();

    /**
     * Milliseconds of emitted audio the caller has not heard yet: queued here or sent and still
     * buffered at the client. What was heard of a reply is what the handler emitted minus this
     * (less at most the frame being queued), e.g. for a realtime model's truncation on barge-in.
     * Transports that queue nothing keep the default, 0.
     */
    default int queuedMillis() {
        return 0;
    }

    /**
     * Asks the client for its inputs ({@code {"type":"send_input","data":[]}}) and waits up to
     * {@code timeout} for the next {@code setInput}; returns the values then current. In phone mode
     * nothing is asked and the current values are returned at once.
     */
    Inputs waitForInputs(Duration timeout) throws InterruptedException;

    /** The latest input values (the defaults before any {@code setInput}). */
    Inputs latestInputs();

    /** True when the client is a telephone call (no data channel, no inputs to ask for). */
    boolean phoneMode();

    /** Where the audio output stands: written and heard positions ({@link Playout#NONE} without audio output). */
    default Playout playout() {
        return Playout.NONE;
    }

    /**
     * Holds the audio output where it is ({@code true}) or lets it go on ({@code false}); nothing is
     * dropped. For a sound that may be the user talking over a reply: hold, then resume if it was not.
     */
    default void pauseOutput(boolean paused) {
    }

    /**
     * This session's telemetry, for the turn layer's events and for handlers that report their
     * own (e.g. open a child span inside {@link SessionTelemetry#enter()}); {@link
     * SessionTelemetry#NONE} when the runtime has no telemetry.
     */
    default SessionTelemetry telemetry() {
        return SessionTelemetry.NONE;
    }
}
