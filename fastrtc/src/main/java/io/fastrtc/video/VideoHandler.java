package io.fastrtc.video;

import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;

/**
 * Processes one incoming frame, for {@code send-receive} and {@code send} streams:
 * {@code (frame, inputs) -> frame.flipVertical()}.
 *
 * <p>Return a {@link VideoFrame} to send back (send-receive), {@code frame.with(outputs)} to also
 * publish additional outputs, {@link io.fastrtc.handler.AdditionalOutputs} alone, a
 * {@link io.fastrtc.handler.CloseStream} to end the connection, or {@code null} to send nothing.
 *
 * <p>Calls for one connection never overlap. When the handler is slower than the camera, frames
 * that arrived meanwhile are dropped and the newest is handled next, so latency stays bounded.
 * A thrown exception is reported to the client as an {@code error} message; the connection lives on.
 */
@FunctionalInterface
public interface VideoHandler {

    Emit handle(VideoFrame frame, Inputs inputs) throws Exception;

    /** The instance a new connection uses; stateful handlers return a fresh copy. */
    default VideoHandler copy() {
        return this;
    }

    /** Called once when a connection that used this instance ends. */
    default void shutdown() {
    }
}
