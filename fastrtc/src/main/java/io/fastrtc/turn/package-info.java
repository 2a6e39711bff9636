/**
 * Turn-taking for voice apps: {@link io.fastrtc.turn.ReplyOnPause}, {@link
 * io.fastrtc.turn.ReplyOnStopWords}, {@link io.fastrtc.turn.Reply} generators and the pause-detection
 * models ({@link io.fastrtc.turn.WebRtcVad} built in).
 *
 * <p>May depend on: {@code io.fastrtc.audio}, {@code io.fastrtc.handler}, {@code io.fastrtc.speech},
 * {@code io.fastrtc.internal}, {@code io.fastrtc.protocol}, {@code io.fastrtc.telemetry} and, for the built-in VAD only, {@code
 * io.fastrtc.engine}. Not the stream: handlers are served by it, not the other way round.
 */
package io.fastrtc.turn;
