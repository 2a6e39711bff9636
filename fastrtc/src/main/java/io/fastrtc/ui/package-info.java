/**
 * The built-in web UI's values: the input and output components ({@link io.fastrtc.ui.Slider}, {@link
 * io.fastrtc.ui.Textbox}, ... FastRTC's Gradio components), {@link io.fastrtc.ui.UiOptions} and the
 * {@link io.fastrtc.ui.UiServer} handle {@code stream.ui().launch()} returns. The page itself lives in
 * the resources under {@code io/fastrtc/ui/web}; what serves it is {@code io.fastrtc.stream.WebUi} and
 * a server adapter.
 *
 * <p>May depend on: {@code io.fastrtc.handler} and {@code io.fastrtc.video}. Not the stream (which is
 * configured with these values) nor any server.
 */
package io.fastrtc.ui;
