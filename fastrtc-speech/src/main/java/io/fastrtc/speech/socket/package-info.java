/**
 * The WebSocket plumbing the streaming speech clients share: one socket to a speech service, its
 * frames in order, and the failures it reports.
 *
 * <p>May depend on: the JDK's WebSocket client and SLF4J only; the clients depend on it.
 */
package io.fastrtc.speech.socket;
