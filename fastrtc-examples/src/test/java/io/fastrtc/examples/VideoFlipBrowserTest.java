package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Browser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The main demo's page in Chromium with a fake camera: it connects with FastRTC's protocol, shows
 * the video coming back, sends the slider through the input hook and shows the handler's readings
 * from the output hook.
 */
class VideoFlipBrowserTest {

    private static final Duration SCRIPT = Duration.ofSeconds(15);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void thePageStreamsTheCameraAndTheSliderDecidesTheFlip() throws Exception {
        Stream stream = VideoFlip.stream();
        try (ExampleApp example = new ExampleApp(stream, VideoFlipDemo.create(stream));
                Browser browser = Browser.launch()) {
            browser.open(example.base + "/");
            await().atMost(WAIT).until(() -> !(Boolean) js(browser, "return document.getElementById('toggle').disabled;"));
            assertThat(text(browser, "slider-label")).isEqualTo("Flip threshold");
            js(browser, "document.getElementById('toggle').click();");
            await().atMost(WAIT).until(() -> "Live".equals(text(browser, "status")));
            await().atMost(WAIT).until(() -> ((Number) js(browser,
                    "return document.getElementById('remote').videoWidth;")).intValue() > 0);
            String id = List.copyOf(stream.connectionIds()).get(0);

            // Threshold 0: every frame is brighter, so the handler flips it and says so.
            slide(browser, 0);
            await().atMost(WAIT).until(() -> stream.inputs(id).getDouble(0) == 0.0);
            await().atMost(WAIT).until(() -> "Flipped".equals(text(browser, "orientation")));
            browser.screenshot(Path.of("target/screenshots/video-flip-demo.png"));

            // Threshold 1: no frame is brighter, the picture comes back upright.
            slide(browser, 1);
            await().atMost(WAIT).until(() -> stream.inputs(id).getDouble(0) == 1.0);
            await().atMost(WAIT).until(() -> "Upright".equals(text(browser, "orientation")));
            assertThat(Double.parseDouble(text(browser, "brightness"))).isBetween(0.0, 1.0);

            js(browser, "document.getElementById('toggle').click();");
            assertThat(text(browser, "status")).isEqualTo("Idle");
            await().atMost(WAIT).until(() -> stream.connectionIds().isEmpty());
        }
    }

    private static void slide(Browser browser, double value) {
        js(browser, """
                const s = document.getElementById('slider');
                s.value = arguments[0];
                s.dispatchEvent(new Event('input'));""", value);
    }

    private static Object js(Browser browser, String body, Object... args) {
        return browser.runAsync(SCRIPT, body, args);
    }

    private static String text(Browser browser, String id) {
        return (String) js(browser, "return document.getElementById(arguments[0]).textContent;", id);
    }
}
