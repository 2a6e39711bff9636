/**
 * Speech-to-text and text-to-speech as plug-in interfaces (FastRTC's {@code STTModel} and
 * {@code TTSModel}), for voice apps built on {@link io.fastrtc.turn.ReplyOnPause} and for
 * {@link io.fastrtc.turn.ReplyOnStopWords}, with streaming forms ({@link io.fastrtc.speech.LiveTranscription},
 * {@link io.fastrtc.speech.LiveSpeech}) for audio transcribed while it is spoken and replies spoken while
 * they are written. Implementations that run offline (FreeTTS, pocketsphinx), OpenAI-compatible HTTP
 * clients and streaming WebSocket clients (Deepgram, ElevenLabs) are in the optional module
 * {@code fastrtc-speech}.
 *
 * <p>May depend on: {@code io.fastrtc.audio} only.
 */
package io.fastrtc.speech;
