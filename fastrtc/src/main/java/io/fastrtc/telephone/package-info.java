/**
 * Phone calls through Twilio: the TwiML answer to an incoming call, webhook signatures, and the
 * values a handler sees during a call ({@link io.fastrtc.telephone.PhoneCall}). The Media Streams
 * socket itself is served by the stream ({@code Stream.openTelephone}).
 *
 * <p>May depend on: {@code io.fastrtc.internal} (HMAC). The webhook answer itself is the stream's
 * ({@code TwilioWebhooks}), so that handlers may name a {@code PhoneCall} without the telephone
 * package knowing HTTP.
 */
package io.fastrtc.telephone;
