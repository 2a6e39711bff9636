/**
 * Realtime speech-to-speech models as audio handlers: {@link io.fastrtc.realtime.OpenAiRealtime}
 * (the OpenAI Realtime API) and {@link io.fastrtc.realtime.GeminiLive} (Gemini Live), with tools
 * ({@link io.fastrtc.realtime.Tool}) and the transcript as additional outputs.
 *
 * <p>May depend on: the core's API ({@code io.fastrtc.audio}, {@code io.fastrtc.handler},
 * {@code io.fastrtc.turn}, {@code io.fastrtc.ui}), {@code io.fastrtc.internal}, Jackson and the JDK's
 * WebSocket client. No web server: the stream's adapter serves it like any other handler.
 */
package io.fastrtc.realtime;
