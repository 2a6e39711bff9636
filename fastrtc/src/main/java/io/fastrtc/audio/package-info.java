/**
 * Audio values and the signal plumbing every audio transport needs: {@link io.fastrtc.audio.AudioFrame}
 * (what audio handlers receive and emit), FastRTC-exact sample conversions ({@link io.fastrtc.audio.Pcm}),
 * a streaming band-limited {@link io.fastrtc.audio.Resampler}, G.711 {@link io.fastrtc.audio.MuLaw} for
 * WebSocket and telephone transports, {@link io.fastrtc.audio.Wav} files,
 * {@link io.fastrtc.audio.Pcm16Aggregator} for byte streams, and the 20 ms
 * {@link io.fastrtc.audio.AudioChunker} of the output pipeline. Pure Java, no native code.
 *
 * <p>May depend on: {@code io.fastrtc.handler} and {@code io.fastrtc.video} (the handler shapes),
 * nothing native.
 */
package io.fastrtc.audio;
