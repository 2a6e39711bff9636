/**
 * Micrometer metrics for a FastRTC runtime: {@link io.fastrtc.micrometer.MicrometerTelemetry}, set
 * with {@code FastRtc.builder().telemetry(new MicrometerTelemetry(registry))}. The Spring Boot
 * starter does this on its own when a {@code MeterRegistry} bean exists; on Javalin, serve a
 * Prometheus registry's scrape with {@code io.fastrtc.javalin.MetricsEndpoint}.
 *
 * <p>May depend on: the core's API ({@code io.fastrtc.telemetry}) and Micrometer's core.
 */
package io.fastrtc.micrometer;
