/**
 * The public face of the library: {@link io.fastrtc.stream.Stream} (builder and API), the {@link
 * io.fastrtc.stream.FastRtc} runtime its streams share, {@link io.fastrtc.stream.Caller} (the API
 * acting for one client), {@link io.fastrtc.stream.WebUi}, and, package-private, the sessions of every
 * transport (WebRTC, WebSocket, phone) with their one lifecycle, admission, the connection registry
 * and the web UI's answers.
 *
 * <p><b>Module boundaries.</b> The layering a {@code module-info.java} would declare is enforced by
 * the build instead ({@code ArchitectureTest} in the core's tests): API packages ({@code stream,
 * audio, video, handler, turn, speech, ice, credentials, cluster, security, telephone, ui, telemetry}), one SPI
 * for server adapters ({@code io.fastrtc.transport}), and internal packages ({@code engine, protocol,
 * internal}) that no public signature shows and no other module imports (the bench excepted; {@code
 * internal} is shared with the project's library modules). JPMS modules were not used because the
 * core's end-to-end tests live in the Javalin module in the core's own packages (split packages on the
 * module path), the shared test jars do the same, and Javalin's Kotlin and Jetty, Spring Boot and
 * FreeTTS are automatic modules or none.
 *
 * <p>May depend on: every other core package: {@code io.fastrtc.transport} (it implements {@code
 * Endpoints}), {@code io.fastrtc.engine} (the only user of libwebrtc's wrapper), {@code protocol},
 * {@code security}, {@code cluster}, {@code telephone}, {@code ui}, {@code telemetry}, {@code audio}, {@code video},
 * {@code handler}, {@code ice}, {@code internal}. Nothing in the core depends on it, and it depends on
 * no web framework.
 */
package io.fastrtc.stream;
