/**
 * Video values: the immutable I420 {@link io.fastrtc.video.VideoFrame} and the handler shapes {@link
 * io.fastrtc.video.VideoHandler} and {@link io.fastrtc.video.VideoGenerator}. Pure Java.
 *
 * <p>May depend on: {@code io.fastrtc.handler} only.
 */
package io.fastrtc.video;
