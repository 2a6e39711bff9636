/**
 * Speech over OpenAI-compatible HTTP APIs (transcriptions and speech).
 *
 * <p>May depend on: {@code io.fastrtc.speech}, {@code io.fastrtc.audio}, Jackson and the JDK's HTTP
 * client.
 */
package io.fastrtc.speech.openai;
