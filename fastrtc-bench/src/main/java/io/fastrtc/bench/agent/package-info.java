/**
 * Fake services of fixed timing for the voice-agent benchmark ({@code AgentBench}): a LangChain4j
 * streaming model, a streaming text-to-speech, and the server's turn clock.
 *
 * <p>May depend on: anything of the project, LangChain4j, and the test jars.
 */
package io.fastrtc.bench.agent;
