/**
 * Spring AI as the model of a FastRTC {@link io.fastrtc.agent.VoiceAgent}: {@link io.fastrtc.springai.SpringAiChat}
 * streams a {@code ChatClient}'s answers with a memory per connection, and
 * {@link io.fastrtc.springai.FastRtcSpringAiAutoConfiguration} builds the agent and its stream in a Spring
 * Boot application that has Spring AI, a {@code SpeechToText} and a {@code TextToSpeech} bean.
 *
 * <p>May depend on: {@code io.fastrtc.agent}, the core's API, {@code io.fastrtc.spring}, Spring Boot and Spring AI.
 */
package io.fastrtc.springai;
