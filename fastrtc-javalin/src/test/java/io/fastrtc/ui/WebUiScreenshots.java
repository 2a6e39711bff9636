package io.fastrtc.ui;

import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.AudioVideoStreamHandler;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import io.fastrtc.stream.Mode;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Browser;
import io.fastrtc.video.VideoFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Screenshots of every layout of the web UI, live, at laptop (1280x800) and phone (390x844) sizes,
 * for the documentation. Not a test: it runs only when asked for, e.g.
 * {@code mvn -pl fastrtc verify -Dtest=WebUiScreenshots -Dfastrtc.ui.screenshots=$PWD/docs/screenshots}.
 * Options: {@code -Dfastrtc.ui.screenshots.only=audio} (layouts whose name contains it),
 * {@code -Dfastrtc.ui.screenshots.idle=true} (also before connecting), {@code -Dfastrtc.ui.screenshots.dark=true}.
 */
class WebUiScreenshots {

    record Viewport(String suffix, int width, int height, boolean mobile) {
    }

    static final List<Viewport> VIEWPORTS = List.of(
            new Viewport("", 1280, 800, false),
            new Viewport("-phone", 390, 844, true));

    record Layout(String name, Supplier<Stream> stream, UiOptions options) {
    }

    @Test
    void everyLayout() throws Exception {
        String dir = System.getProperty("fastrtc.ui.screenshots");
        Assumptions.assumeTrue(dir != null, "set -Dfastrtc.ui.screenshots=<dir> to take the screenshots");
        Path out = Path.of(dir);
        Files.createDirectories(out);
        String only = System.getProperty("fastrtc.ui.screenshots.only", "");
        // Chromium names the fake devices after the paths it is given, and the pickers show those
        // names: short relative paths (in the working directory) read better than temp paths.
        Path here = Path.of("");
        Path camera = UiFixtures.writeY4m(here.resolve("Camera.y4m"), UiFixtures.sceneClip(), 30);
        Path microphone = UiFixtures.writeWav(here.resolve("Microphone.wav"), UiFixtures.voice());
        try (Browser browser = Browser.launch(UiFixtures.fakeCapture(camera, microphone))) {
            for (Layout layout : layouts()) {
                if (!only.isEmpty() && !layout.name().contains(only)) {
                    continue;
                }
                Stream stream = layout.stream().get();
                try (UiServer server = stream.ui(layout.options()).launch("127.0.0.1", 0)) {
                    for (Viewport v : VIEWPORTS) {
                        shoot(browser, server.url(), layout.name(), v, out);
                    }
                } finally {
                    stream.close();
                }
            }
        } finally {
            Files.deleteIfExists(camera);
            Files.deleteIfExists(microphone);
        }
    }

    private static void shoot(Browser browser, String url, String name, Viewport v, Path out) {
        browser.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", v.width(), "height", v.height(), "deviceScaleFactor", 1, "mobile", v.mobile()));
        if (Boolean.getBoolean("fastrtc.ui.screenshots.dark")) {
            browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                    List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        }
        browser.open(url);
        await().atMost(Duration.ofSeconds(10)).until(() -> "idle".equals(state(browser)) && ready(browser));
        if (Boolean.getBoolean("fastrtc.ui.screenshots.idle")) {
            browser.screenshot(out.resolve("ui-" + name + v.suffix() + "-idle.png"));
        }
        browser.driver().findElement(By.cssSelector("button.start")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> "live".equals(state(browser)));
        // Let media and outputs arrive: decoded video frames, moving levels, a few output events.
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(2500)).until(() -> showing(browser));
        browser.screenshot(out.resolve("ui-" + name + v.suffix() + ".png"));
        browser.driver().findElement(By.cssSelector("button.start")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> "idle".equals(state(browser)));
    }

    static String state(Browser browser) {
        return (String) browser.runAsync(Duration.ofSeconds(5), "return document.getElementById('app').dataset.state;");
    }

    /** The status says something other than that the camera or microphone is still opening. */
    static boolean ready(Browser browser) {
        return Boolean.TRUE.equals(browser.runAsync(Duration.ofSeconds(5),
                "return !document.querySelector('.status-text').textContent.startsWith('Opening');"));
    }

    static boolean showing(Browser browser) {
        return Boolean.TRUE.equals(browser.runAsync(Duration.ofSeconds(5), """
                const v = document.querySelector('video.remote');
                if (v && !(v.videoWidth > 0 && v.currentTime > 0.5)) return false;
                return true;"""));
    }

    // ---- the layouts, with handlers that give the page something to show ----

    static List<Layout> layouts() {
        return List.of(
                new Layout("video-send-receive", WebUiScreenshots::videoSendReceive, UiOptions.builder()
                        .title("Flip the camera").subtitle("Frames brighter than the **threshold** come back upside down.")
                        .build()),
                new Layout("video-send", WebUiScreenshots::videoSend, UiOptions.builder()
                        .title("Scene monitor").subtitle("Your camera is analysed on the server; nothing is sent back.")
                        .build()),
                new Layout("video-receive", WebUiScreenshots::videoReceive, UiOptions.builder()
                        .title("Generated video").subtitle("A Java generator paints every frame.").build()),
                new Layout("audio-send-receive", WebUiScreenshots::audioSendReceive, UiOptions.builder()
                        .title("Talk to an echo").subtitle("Everything you say comes back, with a transcript.").build()),
                new Layout("audio-send", WebUiScreenshots::audioSend, UiOptions.builder()
                        .title("Live dictation").subtitle("The server listens; text appears as you speak.").build()),
                new Layout("audio-receive", WebUiScreenshots::audioReceive, UiOptions.builder()
                        .title("Radio FastRTC").subtitle("A melody generated on the server.")
                        .icon(UiFixtures.BOLT_ICON).pulseColor("#f97316").build()),
                new Layout("audio-video-send-receive", WebUiScreenshots::audioVideo, UiOptions.builder()
                        .title("Video call with an echo").build()),
                new Layout("compact-video-send-receive", WebUiScreenshots::videoSendReceive, UiOptions.builder()
                        .title("Flip the camera").subtitle("`fullScreen(false)`: a compact card, as in FastRTC.")
                        .fullScreen(false).build()));
    }

    static double brightness(VideoFrame frame) {
        long sum = 0;
        int n = 0;
        for (int y = 0; y < frame.height(); y += 8) {
            for (int x = 0; x < frame.width(); x += 8) {
                sum += frame.lumaAt(x, y);
                n++;
            }
        }
        return sum / (255.0 * n);
    }

    static Stream videoSendReceive() {
        AtomicLong frames = new AtomicLong();
        return Stream.builder()
                .video((frame, in) -> {
                    double b = brightness(frame);
                    boolean flip = b > in.getDouble(0);
                    VideoFrame out = flip ? frame.flipVertical() : frame;
                    if (frames.incrementAndGet() % 10 != 0) {
                        return out;
                    }
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("flipped", flip);
                    details.put("size", frame.width() + "x" + frame.height());
                    details.put("filter", in.getString(1));
                    return out.with(AdditionalOutputs.of(Math.round(b * 1000) / 1000.0, details));
                })
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3), Dropdown.of("Filter", "None", "None", "Sepia", "Edges"))
                .additionalOutputs(NumberInput.of("Brightness", 0), Json.of("Frame"))
                .timeLimit(Duration.ofSeconds(90))
                .build();
    }

    static Stream videoSend() {
        AtomicLong frames = new AtomicLong();
        return Stream.builder()
                .video((frame, in) -> {
                    long n = frames.incrementAndGet();
                    if (n % 10 != 0) {
                        return null;
                    }
                    double b = brightness(frame);
                    Map<String, Object> scene = new LinkedHashMap<>();
                    scene.put("bright", Math.min(1, b * 1.4));
                    scene.put("dim", Math.max(0, 1 - b * 1.6));
                    scene.put("covered", 0.03);
                    return AdditionalOutputs.of(scene, n, frame);
                })
                .mode(Mode.SEND)
                .additionalOutputs(Label.of("Scene"), NumberInput.of("Frames analysed", 0), Image.of("Snapshot"))
                .build();
    }

    static Stream videoReceive() {
        return Stream.builder()
                .videoGenerator(in -> new Iterator<Emit>() {
                    int n;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Emit next() {
                        double speed = in.getDouble(0);
                        return plasma(640, 360, n++ * speed / 30.0, in.getString(1));
                    }
                })
                .additionalInputs(new Slider("Speed", 0.1, 3, 0.1, 1), Radio.of("Palette", "Sunset", "Sunset", "Ocean", "Forest"))
                .build();
    }

    static VideoFrame plasma(int w, int h, double t, String palette) {
        int[] rgb = new int[w * h];
        double[] tint = switch (palette) {
            case "Ocean" -> new double[] {0.1, 0.5, 1.0};
            case "Forest" -> new double[] {0.2, 0.9, 0.4};
            default -> new double[] {1.0, 0.45, 0.2};
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = Math.sin(x / 40.0 + t) + Math.sin(y / 30.0 - t * 0.7) + Math.sin((x + y) / 55.0 + t * 0.5);
                double c = (v + 3) / 6;
                int r = (int) (255 * Math.min(1, c * tint[0] + 0.1 * (1 - c)));
                int g = (int) (255 * Math.min(1, c * tint[1]));
                int b = (int) (255 * Math.min(1, c * tint[2] + 0.25 * (1 - c)));
                rgb[y * w + x] = r << 16 | g << 8 | b;
            }
        }
        return VideoFrame.fromRgb(w, h, rgb);
    }

    /** Echoes the microphone; the page shows a conversation once a second of audio was heard. */
    static final class ChatEcho extends StreamHandler {
        private final ConcurrentLinkedQueue<Emit> queue = new ConcurrentLinkedQueue<>();
        private int received;

        @Override
        public void receive(AudioFrame frame) {
            queue.add(frame);
            if (++received == 50) {
                queue.add(AdditionalOutputs.of(List.of(
                        Chatbot.Message.user("Hi! Can you hear me?"),
                        Chatbot.Message.assistant("Loud and clear. I repeat everything you say, **word for word**."),
                        Chatbot.Message.user("What is the weather like in Lisbon?"),
                        Chatbot.Message.assistant("I am only an echo, but it sounds sunny from here."))));
            }
        }

        @Override
        public Emit emit() throws InterruptedException {
            Emit next = queue.poll();
            if (next == null) {
                Thread.sleep(5);
            }
            return next;
        }

        @Override
        public StreamHandler copy() {
            return new ChatEcho();
        }
    }

    static Stream audioSendReceive() {
        Chatbot chat = Chatbot.of("Conversation");
        return Stream.builder()
                .audio(new ChatEcho())
                .additionalInputs(chat, Dropdown.of("Voice", "Warm", "Warm", "Bright", "Calm"))
                .additionalOutputs(chat)
                .build();
    }

    /** Reports the microphone level and a growing "transcript". */
    static final class Listener extends StreamHandler {
        private final ConcurrentLinkedQueue<Emit> queue = new ConcurrentLinkedQueue<>();
        private final List<String> words = new ArrayList<>(List.of(("The quick brown fox jumps over the lazy dog while "
                + "the stream keeps listening and writing down every word it hears").split(" ")));
        private final StringBuilder transcript = new StringBuilder();
        private int received;

        @Override
        public void receive(AudioFrame frame) {
            if (++received % 10 != 0) {
                return;
            }
            double sum = 0;
            short[] s = frame.toPcm16();
            for (short v : s) {
                sum += (double) v * v;
            }
            double db = 20 * Math.log10(Math.sqrt(sum / Math.max(1, s.length)) / 32768 + 1e-9);
            if (!words.isEmpty()) {
                transcript.append(transcript.length() == 0 ? "" : " ").append(words.remove(0));
            }
            queue.add(AdditionalOutputs.of(Math.round(db * 10) / 10.0, transcript.toString()));
        }

        @Override
        public Emit emit() throws InterruptedException {
            Emit next = queue.poll();
            if (next == null) {
                Thread.sleep(5);
            }
            return next;
        }

        @Override
        public StreamHandler copy() {
            return new Listener();
        }
    }

    static Stream audioSend() {
        return Stream.builder()
                .audio(new Listener())
                .mode(Mode.SEND)
                .additionalOutputs(NumberInput.of("Input level (dBFS)", -60), Textbox.of("Transcript"))
                .build();
    }

    static Stream audioReceive() {
        double[] notes = {523.25, 659.25, 783.99, 659.25, 587.33, 698.46, 880.0, 698.46};
        return Stream.builder()
                .audioGenerator(in -> new Iterator<Emit>() {
                    int n;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Emit next() {
                        double hz = notes[n++ % notes.length];
                        int rate = 48000;
                        float[] s = new float[rate / 4];
                        for (int i = 0; i < s.length; i++) {
                            double env = Math.min(1, i / 480.0) * Math.exp(-3.0 * i / s.length);
                            s[i] = (float) (in.getDouble(0) * env * Math.sin(2 * Math.PI * hz * i / rate));
                        }
                        return AudioFrame.ofFloat(rate, 1, s);
                    }
                })
                .additionalInputs(Slider.of("Volume", 0, 1, 0.6))
                .build();
    }

    /** Sends the camera back mirrored and echoes the microphone. */
    static final class AvEcho extends AudioVideoStreamHandler {
        private final ConcurrentLinkedQueue<Emit> audio = new ConcurrentLinkedQueue<>();
        private volatile VideoFrame latest;

        @Override
        public void receive(AudioFrame frame) {
            audio.add(frame);
        }

        @Override
        public Emit emit() throws InterruptedException {
            Emit next = audio.poll();
            if (next == null) {
                Thread.sleep(5);
            }
            return next;
        }

        @Override
        public void videoReceive(VideoFrame frame) {
            latest = frame.flipHorizontal();
        }

        @Override
        public Emit videoEmit() {
            return latest;
        }

        @Override
        public AvEcho copy() {
            return new AvEcho();
        }
    }

    static Stream audioVideo() {
        return Stream.builder().audioVideo(new AvEcho()).build();
    }
}
