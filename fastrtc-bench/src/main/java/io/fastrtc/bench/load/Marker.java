package io.fastrtc.bench.load;

import io.fastrtc.video.VideoFrame;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The load generator's video: a moving block texture (work for the encoders, like a camera) with a
 * frame number written across the middle band as full-height vertical bars, one bit per bar. The
 * band is centred, so a vertical flip keeps it in place and the bars read the same; 32-pixel bars
 * of 40 or 200 luma survive lossy coding and scaling, and are read back from the middle row.
 */
final class Marker {

    static final int BITS = 16;
    static final int CHECK_BITS = 4;
    private static final int BARS = BITS + CHECK_BITS;
    private static final int DARK = 40;
    private static final int BRIGHT = 200;
    private static final int BLOCK = 16;
    private static final int SHIFT_PER_FRAME = 4;

    private final int width;
    private final int height;
    private final byte[] texture;
    private final int textureWidth;

    Marker(int width, int height, long seed) {
        this.width = width;
        this.height = height;
        this.textureWidth = 2 * width;
        texture = new byte[textureWidth * height];
        SplittableRandom random = new SplittableRandom(seed);
        for (int by = 0; by < height; by += BLOCK) {
            for (int bx = 0; bx < textureWidth; bx += BLOCK) {
                byte value = (byte) (60 + random.nextInt(140));
                for (int y = by; y < Math.min(height, by + BLOCK); y++) {
                    Arrays.fill(texture, y * textureWidth + bx, y * textureWidth + Math.min(textureWidth, bx + BLOCK), value);
                }
            }
        }
    }

    /** Frame {@code number}: the texture shifted with time, the number's low 16 bits in the band. */
    VideoFrame frame(long number) {
        byte[] y = new byte[width * height];
        int shift = (int) ((number * SHIFT_PER_FRAME) % width);
        for (int row = 0; row < height; row++) {
            System.arraycopy(texture, row * textureWidth + shift, y, row * width, width);
        }
        int code = encode((int) (number & 0xFFFF));
        int bar = width / BARS;
        for (int row = bandTop(height); row < bandBottom(height); row++) {
            for (int i = 0; i < BARS; i++) {
                byte luma = (byte) (((code >>> i) & 1) == 1 ? BRIGHT : DARK);
                Arrays.fill(y, row * width + i * bar, row * width + (i + 1) * bar, luma);
            }
        }
        int chroma = ((width + 1) / 2) * ((height + 1) / 2);
        byte[] u = new byte[chroma];
        byte[] v = new byte[chroma];
        Arrays.fill(u, (byte) 128);
        Arrays.fill(v, (byte) 128);
        return VideoFrame.ofI420(width, height, y, u, v);
    }

    /** The frame number (low 16 bits) the frame carries, or -1 if its check bits do not match. */
    static int read(VideoFrame frame) {
        int w = frame.width();
        int row = frame.height() / 2;
        int code = 0;
        for (int i = 0; i < BARS; i++) {
            int centre = (int) ((i + 0.5) * w / BARS);
            int half = Math.max(1, w / BARS / 4);
            int sum = 0;
            for (int x = centre - half; x < centre + half; x++) {
                sum += frame.lumaAt(x, row);
            }
            if (sum / (2 * half) > (DARK + BRIGHT) / 2) {
                code |= 1 << i;
            }
        }
        int number = code & 0xFFFF;
        return encode(number) == code ? number : -1;
    }

    /** The number with a 4-bit check (the nibbles XORed together) above it. */
    private static int encode(int number) {
        int check = (number ^ (number >>> 4) ^ (number >>> 8) ^ (number >>> 12)) & 0xF;
        return number | (check << BITS);
    }

    private static int bandTop(int height) {
        return height * 3 / 8;
    }

    private static int bandBottom(int height) {
        return height - height * 3 / 8;
    }
}
