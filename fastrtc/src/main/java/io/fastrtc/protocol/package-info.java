/**
 * FastRTC's wire formats, internal: the offer JSON, data-channel and WebSocket messages, and the one
 * Jackson mapper (Jackson never appears in a public signature).
 *
 * <p>May depend on: {@code io.fastrtc.transport} ({@code ProtocolException}) and Jackson.
 */
package io.fastrtc.protocol;
