/**
 * The benchmarks that are programs, never tests: voice turn latency ({@code VoiceBench}), phone
 * calls ({@code PhoneBench}) and a voice agent's reply latency ({@code AgentBench}).
 *
 * <p>May depend on: anything of the project, internal packages included (it measures them), and the
 * test jars' client peers.
 */
package io.fastrtc.bench;
