/**
 * {@code SileroVad}: Silero VAD v5 on ONNX Runtime as a pause-detection model.
 *
 * <p>May depend on: {@code io.fastrtc.turn}, {@code io.fastrtc.audio} and ONNX Runtime.
 */
package io.fastrtc.turn.silero;
