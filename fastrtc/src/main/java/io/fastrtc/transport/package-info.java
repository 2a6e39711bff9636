/**
 * The SPI between a stream and a web server: what server adapters use, and applications need not.
 * A stream is an {@link io.fastrtc.transport.Endpoints}: HTTP routes hand it the request view
 * ({@link io.fastrtc.security.Request}) and the body (read with {@link io.fastrtc.transport.RequestBody})
 * and copy the {@link io.fastrtc.transport.HttpReply} out. A WebSocket adapter opens a
 * {@link io.fastrtc.transport.SocketSession} on it when the socket opens, giving it a
 * {@link io.fastrtc.transport.SocketPeer} and the view of the upgrade request, then forwards every
 * text frame and the close:
 *
 * <pre>{@code
 * SocketSession session = stream.openWebSocket(peer, request);   // or openTelephone(...)
 * session.onText(frame);                                         // each text frame, in order
 * session.onClose(code, reason);                                 // once, however the socket ended
 * }</pre>
 *
 * The web UI's routes answer what {@link io.fastrtc.transport.UiEndpoints} says, and
 * {@code stream.ui().launch()} starts the server of the {@link io.fastrtc.transport.UiLauncher} found
 * by {@link java.util.ServiceLoader}. Module {@code fastrtc-javalin} is the Javalin adapter; the
 * Spring Boot starter's {@code FastRtcRoutes} and {@code FastRtcSockets} are the Spring one.
 *
 * <p>May depend on: {@code io.fastrtc.security} (the request view, CORS, refusals), {@code io.fastrtc.ui}
 * (the UI's options and server handle) and Jackson (to write replies). Never the stream: the stream
 * implements it.
 */
package io.fastrtc.transport;
