/**
 * Tracing with OpenTelemetry: {@link io.fastrtc.opentelemetry.OpenTelemetryTelemetry}, a {@link
 * io.fastrtc.telemetry.Telemetry} with a span per session and per voice turn, and {@link
 * io.fastrtc.opentelemetry.AgentSpans}, the voice agent's steps as spans under the turn.
 *
 * <p>May depend on: the core's API ({@code io.fastrtc.telemetry}), {@code io.fastrtc.agent} (optional:
 * only {@code AgentSpans}, a service the agent loads) and the OpenTelemetry API.
 */
package io.fastrtc.opentelemetry;
