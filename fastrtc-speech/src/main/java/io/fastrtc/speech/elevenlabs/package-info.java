/**
 * ElevenLabs' stream-input text-to-speech over its WebSocket API, as a {@code TextToSpeech} and a
 * {@code LiveSpeech}.
 *
 * <p>May depend on: {@code io.fastrtc.speech}, {@code io.fastrtc.speech.socket}, {@code io.fastrtc.audio},
 * Jackson and the JDK's WebSocket client.
 */
package io.fastrtc.speech.elevenlabs;
