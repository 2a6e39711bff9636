/**
 * Deepgram's live speech-to-text over its WebSocket API, as a {@code SpeechToText} and a
 * {@code LiveTranscription}.
 *
 * <p>May depend on: {@code io.fastrtc.speech}, {@code io.fastrtc.speech.socket}, {@code io.fastrtc.audio},
 * Jackson and the JDK's WebSocket client.
 */
package io.fastrtc.speech.deepgram;
