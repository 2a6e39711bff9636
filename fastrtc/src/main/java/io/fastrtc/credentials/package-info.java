/**
 * TURN credential helpers, FastRTC's {@code credentials.py} in Java. Each returns an
 * {@link io.fastrtc.ice.RtcConfiguration}, synchronously ({@code fetch}) or as a
 * {@link java.util.concurrent.CompletableFuture} ({@code fetchAsync}):
 * <ul>
 *   <li>{@link io.fastrtc.credentials.CloudflareTurn}: Cloudflare Realtime TURN keys, or FastRTC's
 *       credential service when a Hugging Face token is set;</li>
 *   <li>{@link io.fastrtc.credentials.HuggingFaceTurn}: FastRTC's credential service with a Hugging Face token;</li>
 *   <li>{@link io.fastrtc.credentials.TwilioTurn}: Twilio Network Traversal Service tokens;</li>
 *   <li>{@link io.fastrtc.credentials.CoturnSecret}: time-limited credentials for your own coturn,
 *       derived locally from its {@code static-auth-secret} (no network call).</li>
 * </ul>
 * Typical use: short-lived credentials per client, long-lived ones for the server:
 * <pre>{@code
 * CloudflareTurn turn = CloudflareTurn.fromEnv();
 * Stream stream = Stream.builder()
 *     .video(handler)
 *     .rtcConfiguration(turn::fetch)                                  // 10 minutes, per client
 *     .iceConfig(turn.fetch(Duration.ofHours(100)).toIceConfig())     // the server's own side
 *     .build();
 * }</pre>
 * Failures are {@link io.fastrtc.credentials.TurnCredentialsException}s saying which request failed and why.
 *
 * <p>May depend on: {@code io.fastrtc.ice}, {@code io.fastrtc.internal}, {@code io.fastrtc.protocol}
 * and {@code io.fastrtc.transport} ({@code ProtocolException}); the JDK's HTTP client.
 */
package io.fastrtc.credentials;
