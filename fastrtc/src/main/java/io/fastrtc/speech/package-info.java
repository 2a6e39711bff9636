/**
 * Speech-to-text and text-to-speech as plug-in interfaces (FastRTC's {@code STTModel} and
 * {@code TTSModel}), for voice apps built on {@link io.fastrtc.turn.ReplyOnPause} and for
 * {@link io.fastrtc.turn.ReplyOnStopWords}. Implementations that run offline (FreeTTS,
 * pocketsphinx) and OpenAI-compatible HTTP clients are in the optional module {@code fastrtc-speech}.
 *
 * <p>May depend on: {@code io.fastrtc.audio} only.
 */
package io.fastrtc.speech;
