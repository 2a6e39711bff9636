package io.fastrtc.telemetry;

import java.time.Duration;

/** One session's events, from admission to close. */
public interface SessionTelemetry {

    /** Records nothing. */
    SessionTelemetry NONE = new SessionTelemetry() {
    };

    /** What a handler call processed, for the handler-time metric's tag. */
    enum Call {
        /** One video frame through a video handler. */
        VIDEO_FRAME,
        /** One audio chunk through a streaming audio handler. */
        AUDIO_CHUNK;
    }

    /** Media flows (ICE connected, or the socket's start message): {@code setup} since the offer. */
    default void connected(Duration setup) {
    }

    /** One handler call took {@code nanos}. */
    default void handlerCall(Call call, long nanos) {
    }

    /** The handler threw (or timed out); the session may go on. */
    default void handlerFailed(Throwable error) {
    }

    /** Frames the overload governor dropped before the handler saw them. */
    default void framesDropped(int count) {
    }

    /**
     * Receive-side quality the engine reports for this session's inbound audio, sampled
     * periodically: jitter-buffer delay per emitted sample and the share of samples concealed
     * (0..1) since the last sample.
     */
    default void audioQuality(Duration jitterBufferDelay, double concealedRatio) {
    }

    /**
     * A voice turn ended (the user stopped talking and the reply is being produced); what it returns
     * receives the turn's events until {@link TurnTelemetry#ended}.
     */
    default TurnTelemetry turnStarted() {
        return TurnTelemetry.NONE;
    }

    /**
     * Called on a handler thread around user code; the returned scope is closed when the call
     * returns. Tracing makes the session's span current here, so handlers see the trace context.
     */
    default Scope enter() {
        return Scope.NOOP;
    }

    /**
     * The session ended for {@code reason}, one of a small set: {@code client} (the client left),
     * {@code handler} (CloseStream, a generator that finished), {@code error} (transport or
     * protocol failure), {@code timeout} (not connected in time, silent, disconnected, time limit),
     * {@code draining}, {@code shutdown} (the stream closed), {@code server} (the application
     * closed it).
     */
    default void closed(String reason) {
    }
}
