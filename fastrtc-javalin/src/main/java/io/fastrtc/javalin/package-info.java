/**
 * FastRTC on Javalin 7: {@link io.fastrtc.javalin.FastRtcPlugin} serves a stream's routes,
 * WebSockets and web UI on an application's Javalin app, and {@link io.fastrtc.javalin.JavalinUiLauncher}
 * is the server behind {@code stream.ui().launch()} (a {@code ServiceLoader} service);
 * {@link io.fastrtc.javalin.MetricsEndpoint} is an opt-in Prometheus scrape route.
 *
 * <p>Owns: the mapping of Javalin's requests, responses and WebSockets onto the core's
 * transport-neutral entry points. May depend on: the core's API and SPI packages
 * ({@code io.fastrtc.stream}, {@code io.fastrtc.security}, {@code io.fastrtc.ui},
 * {@code io.fastrtc.transport}), Javalin and Jetty. Nothing else depends on it: the core finds it
 * only through {@code ServiceLoader}.
 */
package io.fastrtc.javalin;
