package io.fastrtc.ui;

import io.fastrtc.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A picture, Gradio's {@code Image}, meant as an additional output. Its value may be a
 * {@link VideoFrame}, a {@link BufferedImage}, PNG or JPEG bytes, or a URL (including a
 * {@code data:} URL); the page receives it as a URL.
 */
public record Image(String label) implements Component {

    public static Image of(String label) {
        return new Image(label);
    }

    @Override
    public String type() {
        return "image";
    }

    @Override
    public Object defaultValue() {
        return null;
    }

    @Override
    public Object coerce(Object v) {
        toClient(v); // checks the kind
        return v;
    }

    @Override
    public Object toClient(Object v) {
        if (v == null || v instanceof String) {
            return v;
        }
        if (v instanceof VideoFrame frame) {
            return dataUrl(frame.toImage(), "jpeg");
        }
        if (v instanceof BufferedImage image) {
            return dataUrl(image, "png");
        }
        if (v instanceof byte[] bytes) {
            String mime = isPng(bytes) ? "image/png" : isJpeg(bytes) ? "image/jpeg" : null;
            if (mime == null) {
                throw Component.invalid(this, "<" + bytes.length + " bytes>", "PNG or JPEG bytes");
            }
            return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
        }
        throw Component.invalid(this, v.getClass().getSimpleName(),
                "a VideoFrame, a BufferedImage, PNG or JPEG bytes, or a URL");
    }

    private static String dataUrl(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/" + format + ";base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
    }

    @Override
    public Map<String, Object> describe() {
        return Values.describe(this);
    }
}
