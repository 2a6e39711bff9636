/**
 * {@link io.fastrtc.turn.smartturn.SmartTurnV3}: Pipecat's Smart Turn v3 turn-completion model on ONNX
 * Runtime, with the Whisper log-mel features it takes.
 *
 * <p>May depend on: {@code io.fastrtc.turn} (the {@code TurnCompletionModel} it implements),
 * {@code io.fastrtc.audio} and ONNX Runtime.
 */
package io.fastrtc.turn.smartturn;
