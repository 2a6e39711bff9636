package io.fastrtc.video;

import io.fastrtc.handler.Emit;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One video frame, held in the JVM heap as I420 (the layout WebRTC codecs use), so a handler
 * that works on planes never pays for a colour conversion. {@link #toImage()} and
 * {@link #fromImage(BufferedImage)} convert to and from RGB (BT.601, limited range, like libyuv).
 *
 * <p>Frames are immutable: the plane accessors return read-only views, and every transformation
 * returns a new frame. A frame owns no native memory, so a handler may keep it as long as it likes.
 */
public final class VideoFrame implements Emit {

    private final int width;
    private final int height;
    private final byte[] y;
    private final byte[] u;
    private final byte[] v;
    private final long timestampUs;

    private VideoFrame(int width, int height, byte[] y, byte[] u, byte[] v, long timestampUs) {
        this.width = width;
        this.height = height;
        this.y = y;
        this.u = u;
        this.v = v;
        this.timestampUs = timestampUs;
    }

    /**
     * Wraps tightly packed I420 planes (Y: width x height; U and V: ceil(width/2) x ceil(height/2)).
     * The arrays are taken over, not copied: do not modify them afterwards.
     */
    public static VideoFrame ofI420(int width, int height, byte[] y, byte[] u, byte[] v) {
        checkSize(width, height);
        int cw = chroma(width);
        int ch = chroma(height);
        checkPlane("Y", y, width * height);
        checkPlane("U", u, cw * ch);
        checkPlane("V", v, cw * ch);
        return new VideoFrame(width, height, y, u, v, 0);
    }

    /** Converts an image of any type to a frame. Odd sizes are fine. */
    public static VideoFrame fromImage(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb;
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB) {
            rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        } else {
            rgb = image.getRGB(0, 0, w, h, null, 0, w);
        }
        return fromRgb(w, h, rgb);
    }

    /** Converts packed {@code 0x(AA)RRGGBB} pixels, row by row, to a frame. */
    public static VideoFrame fromRgb(int width, int height, int[] rgb) {
        checkSize(width, height);
        checkPlane("RGB", rgb == null ? null : new byte[rgb.length], width * height);
        int cw = chroma(width);
        int ch = chroma(height);
        byte[] y = new byte[width * height];
        byte[] u = new byte[cw * ch];
        byte[] v = new byte[cw * ch];
        for (int row = 0; row < height; row++) {
            int base = row * width;
            for (int col = 0; col < width; col++) {
                int p = rgb[base + col];
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                y[base + col] = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
            }
        }
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                int n = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int row = 2 * cy + dy;
                    if (row >= height) {
                        continue;
                    }
                    for (int dx = 0; dx < 2; dx++) {
                        int col = 2 * cx + dx;
                        if (col >= width) {
                            continue;
                        }
                        int p = rgb[row * width + col];
                        r += (p >> 16) & 0xff;
                        g += (p >> 8) & 0xff;
                        b += p & 0xff;
                        n++;
                    }
                }
                r /= n;
                g /= n;
                b /= n;
                u[cy * cw + cx] = (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
                v[cy * cw + cx] = (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
            }
        }
        return new VideoFrame(width, height, y, u, v, 0);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Capture time in microseconds as the network delivered it (0 for frames made in Java). */
    public long timestampUs() {
        return timestampUs;
    }

    /** Read-only view of the luma plane (stride = width). */
    public ByteBuffer y() {
        return ByteBuffer.wrap(y).asReadOnlyBuffer();
    }

    /** Read-only view of the U plane (stride = ceil(width / 2)). */
    public ByteBuffer u() {
        return ByteBuffer.wrap(u).asReadOnlyBuffer();
    }

    /** Read-only view of the V plane (stride = ceil(width / 2)). */
    public ByteBuffer v() {
        return ByteBuffer.wrap(v).asReadOnlyBuffer();
    }

    /** Luma (0-255) of one pixel. */
    public int lumaAt(int x, int y) {
        return this.y[y * width + x] & 0xff;
    }

    /** This frame as an RGB image ({@code TYPE_INT_RGB}). */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        toRgb(out);
        return image;
    }

    /** This frame as packed {@code 0xRRGGBB} pixels, row by row. */
    public int[] toRgb() {
        int[] out = new int[width * height];
        toRgb(out);
        return out;
    }

    private void toRgb(int[] out) {
        int cw = chroma(width);
        for (int row = 0; row < height; row++) {
            int crow = (row >> 1) * cw;
            for (int col = 0; col < width; col++) {
                int c = (y[row * width + col] & 0xff) - 16;
                int d = (u[crow + (col >> 1)] & 0xff) - 128;
                int e = (v[crow + (col >> 1)] & 0xff) - 128;
                int r = clamp((298 * c + 409 * e + 128) >> 8);
                int g = clamp((298 * c - 100 * d - 208 * e + 128) >> 8);
                int b = clamp((298 * c + 516 * d + 128) >> 8);
                out[row * width + col] = (r << 16) | (g << 8) | b;
            }
        }
    }

    /** Upside down (rows reversed), computed on the I420 planes without colour conversion. */
    public VideoFrame flipVertical() {
        return new VideoFrame(width, height, flipRows(y, width, height), flipRows(u, chroma(width), chroma(height)),
                flipRows(v, chroma(width), chroma(height)), timestampUs);
    }

    /** Mirrored left to right, computed on the I420 planes. */
    public VideoFrame flipHorizontal() {
        return new VideoFrame(width, height, mirror(y, width, height), mirror(u, chroma(width), chroma(height)),
                mirror(v, chroma(width), chroma(height)), timestampUs);
    }

    /** The same pixels stamped with another capture time. */
    public VideoFrame withTimestampUs(long timestampUs) {
        return new VideoFrame(width, height, y, u, v, timestampUs);
    }

    /**
     * Copies planes with arbitrary strides into a new frame. Used by the engine to take frames off
     * native buffers; the buffers are read from their current position and not modified.
     */
    public static VideoFrame copyOf(int width, int height, ByteBuffer srcY, int strideY, ByteBuffer srcU, int strideU,
            ByteBuffer srcV, int strideV, long timestampUs) {
        checkSize(width, height);
        int cw = chroma(width);
        int ch = chroma(height);
        return new VideoFrame(width, height, copyPlane(srcY, strideY, width, height), copyPlane(srcU, strideU, cw, ch),
                copyPlane(srcV, strideV, cw, ch), timestampUs);
    }

    /** Writes the planes into destination buffers with the given strides (the engine's output path). */
    public void copyTo(ByteBuffer dstY, int strideY, ByteBuffer dstU, int strideU, ByteBuffer dstV, int strideV) {
        int cw = chroma(width);
        int ch = chroma(height);
        writePlane(y, width, height, dstY, strideY);
        writePlane(u, cw, ch, dstU, strideU);
        writePlane(v, cw, ch, dstV, strideV);
    }

    @Override
    public String toString() {
        return "VideoFrame[" + width + "x" + height + "]";
    }

    private static byte[] copyPlane(ByteBuffer src, int stride, int w, int h) {
        byte[] out = new byte[w * h];
        ByteBuffer view = src.duplicate();
        int start = view.position();
        if (stride == w) {
            view.get(out, 0, w * h);
            return out;
        }
        for (int row = 0; row < h; row++) {
            view.position(start + row * stride);
            view.get(out, row * w, w);
        }
        return out;
    }

    private static void writePlane(byte[] src, int w, int h, ByteBuffer dst, int stride) {
        ByteBuffer view = dst.duplicate();
        int start = view.position();
        if (stride == w) {
            view.put(src, 0, w * h);
            return;
        }
        for (int row = 0; row < h; row++) {
            view.position(start + row * stride);
            view.put(src, row * w, w);
        }
    }

    private static byte[] flipRows(byte[] plane, int w, int h) {
        byte[] out = new byte[plane.length];
        for (int row = 0; row < h; row++) {
            System.arraycopy(plane, row * w, out, (h - 1 - row) * w, w);
        }
        return out;
    }

    private static byte[] mirror(byte[] plane, int w, int h) {
        byte[] out = new byte[plane.length];
        for (int row = 0; row < h; row++) {
            int base = row * w;
            for (int col = 0; col < w; col++) {
                out[base + col] = plane[base + w - 1 - col];
            }
        }
        return out;
    }

    private static int chroma(int n) {
        return (n + 1) / 2;
    }

    private static int clamp(int x) {
        return x < 0 ? 0 : Math.min(x, 255);
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > 8192L * 8192L) {
            throw new IllegalArgumentException("frame size " + width + "x" + height
                    + " is invalid: width and height must be positive and at most 8192x8192 pixels in total");
        }
    }

    private static void checkPlane(String name, byte[] plane, int expected) {
        if (plane == null || plane.length != expected) {
            throw new IllegalArgumentException(name + " plane has " + (plane == null ? "no" : plane.length)
                    + " bytes but " + expected + " are needed for this frame size");
        }
    }
}
