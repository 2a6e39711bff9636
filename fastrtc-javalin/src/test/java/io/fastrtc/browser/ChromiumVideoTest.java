package io.fastrtc.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Browser;
import io.fastrtc.testing.Patterns;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A real browser speaking FastRTC's client protocol: Chromium sends a canvas (a vertical grey ramp,
 * dark at the top) to a mounted {@link Stream} that flips each frame, and must get it back bright at
 * the top.
 */
class ChromiumVideoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT = Duration.ofSeconds(15);
    /** The page samples the received video at 64x48; the source canvas is 320x240. */
    private static final int ROWS = 48;
    private static final int SOURCE_HEIGHT = 240;
    /** Rows near the edges are skipped: codecs blur there. */
    private static final int EDGE = 4;

    @Test
    void chromiumReceivesFlippedVideoAndDataChannelEcho() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Stream stream = Stream.builder()
                .video((frame, inputs) -> {
                    handled.incrementAndGet();
                    return frame.flipVertical();
                })
                .build();
        Javalin app = Javalin.create(cfg -> {
            cfg.staticFiles.add("/browser", Location.CLASSPATH);
            cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = "/api"));
        });
        app.start(0);
        try (Browser browser = Browser.launch()) {
            browser.open("http://127.0.0.1:" + app.port() + "/video-flip.html");

            Map<?, ?> started = (Map<?, ?>) browser.runAsync(SCRIPT,
                    "return await window.demo.start(arguments[0], arguments[1]);", "/api/webrtc/offer", "chromium-1");
            assertThat((String) started.get("answerSdp")).contains("m=video").contains("webrtc-datachannel");
            List<?> candidateReplies = (List<?>) started.get("candidateReplies");
            assertThat(candidateReplies).as("trickled candidates").isNotEmpty()
                    .allSatisfy(reply -> assertThat(((Map<?, ?>) reply).get("status")).isEqualTo("success"));
            assertThat(stream.connectionIds()).containsExactly("chromium-1");

            // Wait until the browser has shown a few frames, so the sample is not the first keyframe.
            await().atMost(Duration.ofSeconds(10)).until(() -> framesShown(browser) >= 10);
            Map<?, ?> sample = (Map<?, ?>) browser.runAsync(SCRIPT, "return window.demo.sample();");
            // Either encoder may scale down under CPU load, but never changes the aspect ratio.
            long width = (Long) sample.get("width");
            long height = (Long) sample.get("height");
            assertThat(width * 3).as("received %dx%d", width, height).isPositive().isEqualTo(height * 4);
            double[] rows = ((List<?>) sample.get("rows")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            double flippedError = rowError(rows, true);
            double unflippedError = rowError(rows, false);
            assertThat(flippedError).as("error against the flipped ramp; rows %s",
                    Arrays.toString(Arrays.stream(rows).mapToLong(Math::round).toArray())).isLessThan(12);
            assertThat(unflippedError).as("error against the unflipped ramp").isGreaterThan(40);
            assertThat(handled.get()).isPositive();
            System.out.printf("Chromium codecs %s; %d trickled candidates; received %dx%d; flipped error %.1f,"
                    + " unflipped %.1f, frames shown %s%n", browser.runAsync(SCRIPT, "return await window.demo.codecs();"),
                    candidateReplies.size(), width, height, flippedError, unflippedError, sample.get("frames"));

            browser.runAsync(SCRIPT, "window.demo.send(arguments[0]);", "hello from chromium");
            await().atMost(Duration.ofSeconds(5)).until(() -> echoes(browser).contains("Server received: hello from chromium"));
            browser.screenshot(Path.of("target/screenshots/chromium-video-flip.png"));

            browser.runAsync(SCRIPT, "window.demo.stop();");
            await().atMost(Duration.ofSeconds(15)).until(() -> stream.connectionIds().isEmpty());
        } finally {
            stream.close();
            app.stop();
        }
    }

    private static long framesShown(Browser browser) {
        return (Long) ((Map<?, ?>) browser.runAsync(SCRIPT, "return window.demo.sample();")).get("frames");
    }

    /** The data of every {"type": "log"} message the page received. */
    private static List<String> echoes(Browser browser) throws Exception {
        List<?> raw = (List<?>) browser.runAsync(SCRIPT, "return window.demo.messages;");
        List<String> logs = new ArrayList<>();
        for (Object message : raw) {
            JsonNode json = JSON.readTree((String) message);
            if (json.path("type").asText().equals("log")) {
                logs.add(json.path("data").asText());
            }
        }
        return logs;
    }

    /** Mean absolute difference between the sampled rows and the source ramp, flipped or not. */
    private static double rowError(double[] rows, boolean flipped) {
        double sum = 0;
        for (int r = EDGE; r < ROWS - EDGE; r++) {
            int sourceRow = (int) ((r + 0.5) * SOURCE_HEIGHT / ROWS);
            int expected = Patterns.rampLuma(flipped ? SOURCE_HEIGHT - 1 - sourceRow : sourceRow, SOURCE_HEIGHT);
            sum += Math.abs(rows[r] - expected);
        }
        return sum / (ROWS - 2 * EDGE);
    }
}
