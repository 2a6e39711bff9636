package io.fastrtc.testing;

import io.fastrtc.video.VideoFrame;
import java.util.Arrays;

/** Test frames with a known, codec-robust layout, and checks against them. */
public final class Patterns {

    private Patterns() {
    }

    /** Luma rises smoothly from top (dark) to bottom (bright); chroma neutral. */
    public static VideoFrame verticalRamp(int width, int height) {
        byte[] y = new byte[width * height];
        for (int row = 0; row < height; row++) {
            Arrays.fill(y, row * width, (row + 1) * width, (byte) rampLuma(row, height));
        }
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        byte[] u = new byte[cw * ch];
        byte[] v = new byte[cw * ch];
        Arrays.fill(u, (byte) 128);
        Arrays.fill(v, (byte) 128);
        return VideoFrame.ofI420(width, height, y, u, v);
    }

    public static int rampLuma(int row, int height) {
        return 30 + (row * 190) / Math.max(1, height - 1);
    }

    /**
     * Mean absolute luma error of {@code frame} against the ramp, flipped or not, sampled on a grid
     * away from the edges (where codecs blur most).
     */
    public static double rampError(VideoFrame frame, boolean flipped) {
        int w = frame.width();
        int h = frame.height();
        long sum = 0;
        int n = 0;
        for (int row = h / 10; row < h - h / 10; row += Math.max(1, h / 40)) {
            int expected = rampLuma(flipped ? h - 1 - row : row, h);
            for (int col = w / 10; col < w - w / 10; col += Math.max(1, w / 40)) {
                sum += Math.abs(frame.lumaAt(col, row) - expected);
                n++;
            }
        }
        return (double) sum / n;
    }
}
