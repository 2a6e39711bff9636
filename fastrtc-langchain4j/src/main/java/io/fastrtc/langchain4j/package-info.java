/**
 * LangChain4j as the model of a FastRTC {@link io.fastrtc.agent.VoiceAgent}: a {@code StreamingChatModel}
 * with a chat memory per connection, or an AI Service (tools, memory, RAG) whose methods return a
 * {@code TokenStream}. See {@link io.fastrtc.langchain4j.LangChain4jChat}.
 *
 * <p>May depend on: {@code io.fastrtc.agent} and LangChain4j; nothing else of FastRTC.
 */
package io.fastrtc.langchain4j;
