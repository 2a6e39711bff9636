/**
 * Small concurrency, crypto and checking helpers (threads that are virtual when the JVM has them, rate limiting,
 * HMAC, argument checks). Internal: not API; the project's own library modules (Redis broker, Spring starter) may use
 * it, applications may not.
 *
 * <p>May depend on: the JDK only. Everything else may depend on it.
 */
package io.fastrtc.internal;
