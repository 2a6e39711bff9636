/**
 * The transport-neutral seam between a {@link io.fastrtc.stream.Stream} and a web server.
 *
 * <p>HTTP routes hand the request view ({@link io.fastrtc.security.Request}) and the body to the
 * stream and copy the {@link io.fastrtc.transport.HttpReply} out. A WebSocket adapter opens a
 * {@link io.fastrtc.transport.SocketSession} on the stream when the socket opens, giving it a
 * {@link io.fastrtc.transport.SocketPeer} and the view of the upgrade request, then forwards every
 * text frame and the close:
 *
 * <pre>{@code
 * SocketSession session = stream.openWebSocket(peer, request);   // or openTelephone(...)
 * session.onText(frame);                                         // each text frame, in order
 * session.onClose(code, reason);                                 // once, however the socket ended
 * }</pre>
 *
 * {@code io.fastrtc.transport.javalin} is the Javalin adapter; the Spring Boot starter's
 * {@code FastRtcSockets} is the Spring one (a {@code WebSocketHandler}).
 */
package io.fastrtc.transport;
