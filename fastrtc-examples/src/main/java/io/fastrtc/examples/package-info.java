/**
 * Runnable versions of FastRTC's Core Concepts examples and the demos, each with a test.
 *
 * <p>May depend on: the core's API packages, {@code fastrtc-javalin} ({@code FastRtcPlugin}), {@code
 * fastrtc-speech} and Javalin. No internal package.
 */
package io.fastrtc.examples;
