package io.fastrtc.examples;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Slider;
import io.fastrtc.video.VideoFrame;
import io.fastrtc.video.VideoHandler;
import java.nio.ByteBuffer;

/**
 * The stream of FastRTC's "Core Concepts" page: a send-receive video stream that flips the camera
 * upside down, with one slider as additional input and a reading as additional output.
 *
 * <p>The slider is a brightness threshold: a frame is flipped while its mean brightness (0 = black,
 * 1 = white) is above the threshold. At the default 0.3 a normally lit camera is flipped; slide
 * the threshold up, or cover the camera, and the picture turns upright again. Every
 * {@value #READING_INTERVAL}th frame the handler also returns a {@link Reading}, which the
 * output hook streams to the page.
 */
public final class VideoFlip implements VideoHandler {

    /** The JSON field that carries the slider value to the input hook. */
    public static final String INPUT_FIELD = "threshold";
    /** Frames between two readings: WebRTC is fast, and a reading per frame would flood the page. */
    public static final int READING_INTERVAL = 10;

    /** What the handler reports: the frame's mean brightness, the threshold it used, and the outcome. */
    public record Reading(double brightness, double threshold, boolean flipped) {
    }

    private int frames;

    private VideoFlip() {
    }

    /** The stream, as on the Core Concepts page (with room for a few tabs at once). */
    public static Stream stream() {
        return stream(FastRtc.shared());
    }

    /** {@link #stream()} on {@code runtime} (one that reports metrics, say). */
    public static Stream stream(FastRtc runtime) {
        return Stream.builder()
                .runtime(runtime)
                .video(new VideoFlip())
                .additionalInputs(new Slider("Flip threshold", 0, 1, 0.01, 0.3))
                .concurrencyLimit(4)
                .build();
    }

    @Override
    public Emit handle(VideoFrame frame, Inputs inputs) {
        double threshold = inputs.getDouble(0);
        double brightness = meanBrightness(frame);
        boolean flipped = brightness > threshold;
        VideoFrame out = flipped ? frame.flipVertical() : frame;
        if (++frames % READING_INTERVAL != 0) {
            return out;
        }
        return out.with(AdditionalOutputs.of(new Reading(Math.round(brightness * 1000) / 1000.0, threshold, flipped)));
    }

    /** Counts frames per connection, so each connection gets its own instance. */
    @Override
    public VideoHandler copy() {
        return new VideoFlip();
    }

    /** Mean luma scaled to 0..1. */
    static double meanBrightness(VideoFrame frame) {
        ByteBuffer y = frame.y();
        long sum = 0;
        int n = y.remaining();
        for (int i = 0; i < n; i++) {
            sum += y.get(i) & 0xff;
        }
        return n == 0 ? 0 : sum / (255.0 * n);
    }
}
