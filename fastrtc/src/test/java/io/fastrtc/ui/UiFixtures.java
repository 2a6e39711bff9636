package io.fastrtc.ui;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.testing.Patterns;
import io.fastrtc.video.VideoFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Media for Chromium's fake camera and microphone, which play a Y4M and a WAV file in a loop. */
final class UiFixtures {

    private UiFixtures() {
    }

    /** Chromium flags that make the camera play {@code y4m} and the microphone {@code wav}. */
    static String[] fakeCapture(Path y4m, Path wav) {
        return new String[] {"--use-file-for-fake-video-capture=" + y4m, "--use-file-for-fake-audio-capture=" + wav};
    }

    /** The vertical grey ramp of {@link Patterns} (dark at the top), as a short clip. */
    static Path rampCamera(Path dir) throws IOException {
        VideoFrame ramp = Patterns.verticalRamp(320, 240);
        return writeY4m(dir.resolve("ramp.y4m"), List.of(ramp, ramp, ramp), 30);
    }

    /** A colourful picture with "FastRTC" and an up arrow, so a flip is obvious; one second of slow motion. */
    static List<VideoFrame> sceneClip() {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            frames.add(VideoFrame.fromImage(scene(640, 480, i / 30.0)));
        }
        return frames;
    }

    static BufferedImage scene(int w, int h, double t) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x1d4ed8), w, h, new Color(0xf97316)));
        g.fillRect(0, 0, w, h);
        double phase = 2 * Math.PI * t;
        int[][] bubbles = {{90, 110, 120}, {520, 90, 90}, {470, 380, 150}, {150, 390, 70}};
        for (int i = 0; i < bubbles.length; i++) {
            int[] b = bubbles[i];
            double dx = 12 * Math.sin(phase + i);
            double dy = 8 * Math.cos(phase + 2 * i);
            g.setColor(new Color(255, 255, 255, 40));
            g.fill(new Ellipse2D.Double(b[0] - b[2] / 2.0 + dx, b[1] - b[2] / 2.0 + dy, b[2], b[2]));
        }
        g.setColor(Color.WHITE);
        Path2D arrow = new Path2D.Double();
        int cx = w / 2;
        arrow.moveTo(cx, 70);
        arrow.lineTo(cx + 42, 130);
        arrow.lineTo(cx + 16, 130);
        arrow.lineTo(cx + 16, 175);
        arrow.lineTo(cx - 16, 175);
        arrow.lineTo(cx - 16, 130);
        arrow.lineTo(cx - 42, 130);
        arrow.closePath();
        g.fill(arrow);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 84));
        FontMetrics fm = g.getFontMetrics();
        String text = "FastRTC";
        g.drawString(text, (w - fm.stringWidth(text)) / 2, 290);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
        fm = g.getFontMetrics();
        String line = "this side up";
        g.drawString(line, (w - fm.stringWidth(line)) / 2, 340);
        g.setStroke(new BasicStroke(3));
        g.setColor(new Color(255, 255, 255, 120));
        g.drawRoundRect(12, 12, w - 24, h - 24, 24, 24);
        g.dispose();
        return img;
    }

    static Path writeY4m(Path file, List<VideoFrame> frames, int fps) throws IOException {
        VideoFrame first = frames.get(0);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(("YUV4MPEG2 W" + first.width() + " H" + first.height() + " F" + fps + ":1 Ip A1:1 C420jpeg\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (VideoFrame f : frames) {
                out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
                for (ByteBuffer plane : List.of(f.y(), f.u(), f.v())) {
                    byte[] bytes = new byte[plane.remaining()];
                    plane.get(bytes);
                    out.write(bytes);
                }
            }
        }
        return file;
    }

    /**
     * Four seconds of something like speech at 48 kHz: a voiced tone with a wandering pitch in
     * syllables of about 250 ms, phrases of 2.4 s and a pause.
     */
    static AudioFrame voice() {
        int rate = 48000;
        float[] s = new float[rate * 4];
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            double t = (double) i / rate;
            double f0 = 150 + 35 * Math.sin(2 * Math.PI * 0.6 * t) + 15 * Math.sin(2 * Math.PI * 3.1 * t);
            phase += 2 * Math.PI * f0 / rate;
            double voiced = 0;
            for (int k = 1; k <= 8; k++) {
                voiced += Math.sin(k * phase) / k;
            }
            double syllable = Math.pow(Math.max(0, Math.sin(2 * Math.PI * 4 * t)), 0.6);
            double phrase = t % 4 < 2.4 ? 1 : 0;
            s[i] = (float) (0.3 * voiced * (0.25 + 0.75 * syllable) * phrase);
        }
        return AudioFrame.ofFloat(rate, 1, s);
    }

    static Path writeWav(Path file, AudioFrame audio) throws IOException {
        Wav.write(audio, file);
        return file;
    }

    /** An SVG lightning bolt as a data URL, for the icon option. */
    static final String BOLT_ICON = "data:image/svg+xml,"
            + "%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E"
            + "%3Cpath d='M13 2 4 14h7l-1 8 9-12h-7z' fill='white'/%3E%3C/svg%3E";
}
