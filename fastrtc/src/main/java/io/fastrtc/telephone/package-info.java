/**
 * Phone calls through Twilio: the TwiML answer to an incoming call, webhook signatures, and the
 * values a handler sees during a call ({@link io.fastrtc.telephone.PhoneCall}). The Media Streams
 * socket itself is served by the stream ({@code Stream.openTelephone}).
 */
package io.fastrtc.telephone;
