/**
 * What handlers see and return, whatever the media: {@link io.fastrtc.handler.Inputs}, {@link
 * io.fastrtc.handler.Emit}, {@link io.fastrtc.handler.AdditionalOutputs}, {@link
 * io.fastrtc.handler.CloseStream} and the per-call {@link io.fastrtc.handler.Context}.
 *
 * <p>May depend on: {@code io.fastrtc.telephone} (the call a context belongs to), {@code
 * io.fastrtc.telemetry} (a session's telemetry). Below audio, video
 * and the stream.
 */
package io.fastrtc.handler;
