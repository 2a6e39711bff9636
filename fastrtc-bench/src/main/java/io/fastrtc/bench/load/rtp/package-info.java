/**
 * A light WebRTC caller for the voice-at-scale load generator: the WebRTC wire protocol (SDP offer,
 * ICE, DTLS-SRTP, SRTP) spoken from Java on one UDP socket shared by many callers, sending
 * pre-encoded Opus and judging what comes back by decoding it, so that the generator costs a small
 * fraction of what libwebrtc peers cost and can share the server's cores.
 *
 * <p>May depend on: BouncyCastle (DTLS), Concentus (Opus) and the test jars' signaling client; never
 * on {@code dev.onvoid}.
 */
package io.fastrtc.bench.load.rtp;
