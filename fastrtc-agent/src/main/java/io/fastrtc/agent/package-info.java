/**
 * A streaming voice agent: speech-to-text, a chat model that streams its answer, and text-to-speech,
 * as a {@link io.fastrtc.turn.ReplyOnPause} reply function ({@link io.fastrtc.agent.VoiceAgent}). The
 * answer is spoken sentence by sentence while the model still writes, and when the caller interrupts,
 * the conversation keeps only the words they heard. Chat frameworks plug in through
 * {@link io.fastrtc.agent.ChatStream} (modules {@code fastrtc-langchain4j} and {@code fastrtc-spring-ai}).
 *
 * <p>May depend on: the core's API ({@code io.fastrtc.audio}, {@code io.fastrtc.handler},
 * {@code io.fastrtc.speech}, {@code io.fastrtc.telemetry}, {@code io.fastrtc.turn}, {@code io.fastrtc.ui}) and
 * SLF4J; no chat or web framework.
 */
package io.fastrtc.agent;
