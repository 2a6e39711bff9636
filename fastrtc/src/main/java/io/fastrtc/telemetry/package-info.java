/**
 * What the runtime reports about itself, for metrics and tracing: {@link
 * io.fastrtc.telemetry.Telemetry} (one per {@link io.fastrtc.stream.FastRtc} runtime) and the
 * per-session {@link io.fastrtc.telemetry.SessionTelemetry} and per-turn {@link
 * io.fastrtc.telemetry.TurnTelemetry} it hands out. The core only calls these interfaces; the
 * Micrometer and OpenTelemetry modules implement them, so the core needs neither library.
 *
 * <p>Calls come from media, timer and handler threads while a frame waits: implementations must be
 * quick, thread-safe and must not throw (the core catches and logs, but the frame is late).
 *
 * <p>May depend on: nothing else in the library.
 */
package io.fastrtc.telemetry;
