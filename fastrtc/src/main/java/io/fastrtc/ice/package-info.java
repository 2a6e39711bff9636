/**
 * ICE configuration: the server's own side ({@link io.fastrtc.ice.IceConfig}, {@link
 * io.fastrtc.ice.IceServer}) and the browser's {@link io.fastrtc.ice.RtcConfiguration} served on
 * {@code /webrtc/rtc-configuration}.
 *
 * <p>May depend on: {@code io.fastrtc.protocol} (JSON, internal) and {@code io.fastrtc.transport}
 * ({@code ProtocolException}).
 */
package io.fastrtc.ice;
