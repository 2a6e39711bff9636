package io.fastrtc.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.CloseStream;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.WebRtcError;
import io.fastrtc.protocol.Messages;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Browser;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The built-in page in headless Chromium against a real server: Chromium's fake camera plays a grey
 * ramp (dark at the top) and its fake microphone a voice-like signal.
 */
class WebUiTest {

    private static final Duration SCRIPT = Duration.ofSeconds(10);
    private static final Duration CONNECT = Duration.ofSeconds(15);

    static Path media;
    static Browser browser;
    static RtcEngine clients;

    @BeforeAll
    static void start() throws Exception {
        media = Files.createTempDirectory("fastrtc-ui-test");
        List<String> flags = new ArrayList<>(List.of(UiFixtures.fakeCapture(UiFixtures.rampCamera(media),
                UiFixtures.writeWav(media.resolve("voice.wav"), UiFixtures.voice()))));
        flags.add("--window-size=1280,800");
        browser = Browser.launch(flags.toArray(String[]::new));
        clients = RtcEngine.create();
    }

    @AfterAll
    static void stop() throws Exception {
        browser.close();
        clients.close();
        try (var files = Files.list(media)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(media);
    }

    @Test
    void videoPageStreamsFlippedVideoWithInputsOutputsErrorsAndRestart() throws Exception {
        AtomicReference<Double> threshold = new AtomicReference<>();
        Stream stream = Stream.builder()
                .video((frame, in) -> {
                    threshold.set(in.getDouble(0));
                    if (in.getBoolean(1)) {
                        throw new WebRtcError("the handler failed on purpose"); // a message meant for the user
                    }
                    return frame.flipVertical().with(AdditionalOutputs.of("threshold %.2f".formatted(in.getDouble(0))));
                })
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3), Checkbox.of("Fail", false))
                .additionalOutputs(Textbox.of("Seen by the handler"))
                .timeLimit(Duration.ofSeconds(120))
                .build();
        try (UiServer server = stream.ui().launch("127.0.0.1", 0)) {
            openAndWaitForMedia(server.url());
            assertThat(js("return document.title;")).isEqualTo("Video Streaming (Powered by FastRTC ⚡️)");

            click("button.start");
            await().atMost(CONNECT).until(() -> "live".equals(state()));
            String firstId = (String) js("return window.fastrtcUi.session.id;");
            assertThat(stream.connectionIds()).containsExactly(firstId);

            // The picture comes back upside down: bright at the top. The preview is the camera as it is.
            await().atMost(CONNECT).until(() -> framesDecoded("video.remote") >= 10);
            Map<?, ?> remote = topAndBottom("video.remote");
            Map<?, ?> local = topAndBottom("video.local");
            assertThat(number(remote, "top") - number(remote, "bottom")).as("remote %s", remote).isGreaterThan(60);
            assertThat(number(local, "bottom") - number(local, "top")).as("preview %s", local).isGreaterThan(60);
            assertThat(text(".countdown")).matches("[0-9]:[0-5][0-9] left");

            // The slider's new value reaches the handler, whose output shows up in the page.
            await().atMost(CONNECT).until(() -> Double.valueOf(0.3).equals(threshold.get()));
            browser.driver().findElement(By.cssSelector(".field-slider input[type=range]")).sendKeys(Keys.END);
            await().atMost(CONNECT).until(() -> Double.valueOf(1.0).equals(threshold.get()));
            await().atMost(CONNECT).until(() -> text(".field[data-label='Seen by the handler'] .out-text")
                    .equals("threshold 1.00"));

            // A handler exception becomes an error toast; the stream goes on.
            click(".field-checkbox .switch");
            await().atMost(CONNECT).until(() -> texts(".toast-error .toast-message").contains("the handler failed on purpose"));
            click(".field-checkbox .switch");
            assertThat(state()).isEqualTo("live");
            browser.screenshot(Path.of("target/screenshots/web-ui-video.png"));

            // Stop, then start again without reloading: a new connection with a new id.
            click("button.start");
            await().atMost(CONNECT).until(() -> "idle".equals(state()) && stream.connectionIds().isEmpty());
            click("button.start");
            await().atMost(CONNECT).until(() -> "live".equals(state()));
            String secondId = (String) js("return window.fastrtcUi.session.id;");
            assertThat(secondId).isNotEqualTo(firstId);
            assertThat(stream.connectionIds()).containsExactly(secondId);
            long before = framesDecoded("video.remote");
            await().atMost(CONNECT).until(() -> framesDecoded("video.remote") >= before + 10);
            click("button.start");
            await().atMost(CONNECT).until(() -> stream.connectionIds().isEmpty());
        } finally {
            stream.close();
        }
    }

    @Test
    void thePageProvesItOpenedItsConnectionWithTheTokenOfTheAnswer() throws Exception {
        // A principal per request: no two requests look alike, so only the token links the page's
        // inputs, output stream and candidates to its connection.
        Queue<String> shown = new ConcurrentLinkedQueue<>();
        AtomicReference<Double> threshold = new AtomicReference<>();
        Stream stream = Stream.builder()
                .video((frame, in) -> {
                    threshold.set(in.getDouble(0));
                    return frame.with(AdditionalOutputs.of("threshold %.2f".formatted(in.getDouble(0))));
                })
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .additionalOutputs(Textbox.of("Seen"))
                .authorizer(request -> {
                    String token = request.header("X-FastRTC-Token");
                    shown.add(request.path() + " " + (token != null ? token : request.queryParam("fastrtc_token")));
                    return java.util.UUID.randomUUID().toString();
                })
                .build();
        try (UiServer server = stream.ui().launch("127.0.0.1", 0)) {
            openAndWaitForMedia(server.url());
            click("button.start");
            await().atMost(CONNECT).until(() -> "live".equals(state()));
            browser.driver().findElement(By.cssSelector(".field-slider input[type=range]")).sendKeys(Keys.END);
            await().atMost(CONNECT).until(() -> Double.valueOf(1.0).equals(threshold.get()));
            await().atMost(CONNECT).until(() -> text(".field[data-label='Seen'] .out-text").equals("threshold 1.00"));
            assertThat(shown).anyMatch(s -> s.matches("/input [A-Za-z0-9_-]{22}"))
                    .anyMatch(s -> s.matches("/outputs [A-Za-z0-9_-]{22}"));
            click("button.start");
            await().atMost(CONNECT).until(() -> stream.connectionIds().isEmpty());
        } finally {
            stream.close();
        }
    }

    @Test
    void refusedWithAMessageWhenTheConcurrencyLimitIsReached() throws Exception {
        Stream stream = Stream.builder().video((frame, in) -> frame).concurrencyLimit(1).build();
        try (UiServer server = stream.ui().launch("127.0.0.1", 0);
                TestPeer holder = new TestPeer(clients, "holder")
                        .sendVideo(10, n -> Patterns.verticalRamp(64, 48)).dataChannel("text")) {
            assertThat(Signaling.connect(holder, server.url() + "webrtc/offer", "holder").isAnswer()).isTrue();
            openAndWaitForMedia(server.url());

            click("button.start");
            await().atMost(CONNECT).until(() -> texts(".toast-error .toast-message")
                    .contains("Too many concurrent connections. Please try again later!"));
            assertThat(state()).isEqualTo("idle");
            assertThat(text(".status-text")).isEqualTo("Refused");
            assertThat(stream.connectionIds()).containsExactly("holder");
            browser.screenshot(Path.of("target/screenshots/web-ui-refused.png"));
        } finally {
            stream.close();
        }
    }

    /** Echoes the microphone; sends the log messages and returns the CloseStream the test queues. */
    static final class Echo extends StreamHandler {
        private final ConcurrentLinkedQueue<AudioFrame> queue = new ConcurrentLinkedQueue<>();
        private final Queue<Object> control;

        Echo(Queue<Object> control) {
            this.control = control;
        }

        @Override
        public void receive(AudioFrame frame) {
            queue.add(frame);
        }

        @Override
        public Emit emit() throws InterruptedException {
            Object order = control.poll();
            if (order instanceof String log) {
                sendMessage(Messages.log(log));
            } else if (order instanceof CloseStream end) {
                return end;
            }
            AudioFrame next = queue.poll();
            if (next == null) {
                Thread.sleep(5);
            }
            return next;
        }

        @Override
        public StreamHandler copy() {
            return new Echo(control);
        }
    }

    @Test
    void audioPagePlaysTheEchoShowsThinkingAndEndsWithTheStream() throws Exception {
        Queue<Object> control = new ConcurrentLinkedQueue<>();
        Stream stream = Stream.builder()
                .audio(new Echo(control))
                .additionalInputs(Textbox.of("Name"))
                .build();
        UiOptions options = UiOptions.builder().sendInputOn(UiOptions.SendInputOn.SUBMIT).build();
        try (UiServer server = stream.ui(options).launch("127.0.0.1", 0)) {
            openAndWaitForMedia(server.url());
            assertThat(text(".title")).isEqualTo("Audio Streaming (Powered by FastRTC ⚡️)");

            click("button.start");
            await().atMost(CONNECT).until(() -> "live".equals(state()));
            String id = (String) js("return window.fastrtcUi.session.id;");
            await().atMost(CONNECT).until(() -> Boolean.TRUE.equals(js(
                    "const a = document.querySelector('audio.remote-audio');"
                    + " return a.srcObject !== null && !a.paused && a.currentTime > 0.5;")));
            // The microphone's meter and the echo's meter both move with the voice.
            await().atMost(CONNECT).until(() -> meter("Microphone level") > 0.3);
            await().atMost(CONNECT).until(() -> meter("Output level") > 0.3);

            // Muting the microphone silences its meter; another microphone replaces the track being sent.
            click(".mic-group .icon-button");
            await().atMost(CONNECT).until(() -> meter("Microphone level") == 0);
            click(".mic-group .icon-button");
            String sentBefore = (String) js("return window.fastrtcUi.session.pc.getSenders()[0].track.id;");
            js("""
                    const select = document.querySelector('select[aria-label=Microphone]');
                    select.value = select.options[select.options.length - 1].value;
                    select.dispatchEvent(new Event('change'));""");
            await().atMost(CONNECT).until(() -> !sentBefore.equals(
                    js("return window.fastrtcUi.session.pc.getSenders()[0].track.id;")));
            await().atMost(CONNECT).until(() -> meter("Microphone level") > 0.3);
            assertThat(state()).isEqualTo("live");

            // In submit mode the text goes to the handler on Enter.
            browser.driver().findElement(By.cssSelector(".field-textbox input")).sendKeys("Ada", Keys.ENTER);
            await().atMost(CONNECT).until(() -> stream.inputs(id).asList().equals(List.of("Ada")));

            // ReplyOnPause's log messages: thinking from pause_detected to response_starting.
            control.add("pause_detected");
            await().atMost(CONNECT).until(() -> text(".status-text").equals("Thinking…") && text(".caption").equals("Thinking…"));
            browser.screenshot(Path.of("target/screenshots/web-ui-audio-thinking.png"));
            control.add("response_starting");
            await().atMost(CONNECT).until(() -> text(".status-text").equals("Live"));

            // CloseStream: the page stops and shows the handler's message.
            control.add(CloseStream.of("Goodbye from the echo"));
            await().atMost(CONNECT).until(() -> "idle".equals(state()));
            // Selenium reads only visible text, and the toast fades in.
            await().atMost(CONNECT).until(() -> texts(".toast-warning .toast-message").contains("Goodbye from the echo"));
            await().atMost(CONNECT).until(() -> stream.connectionIds().isEmpty());
        } finally {
            stream.close();
        }
    }

    // ---- page helpers ----

    static void openAndWaitForMedia(String url) {
        browser.open(url);
        await().atMost(CONNECT).until(() -> "idle".equals(state()) && "Ready".equals(text(".status-text")));
    }

    static Object js(String body) {
        return browser.runAsync(SCRIPT, body);
    }

    static String state() {
        return (String) js("return document.getElementById('app').dataset.state;");
    }

    static void click(String css) {
        browser.driver().findElement(By.cssSelector(css)).click();
    }

    static String text(String css) {
        return browser.driver().findElement(By.cssSelector(css)).getText();
    }

    static List<String> texts(String css) {
        return browser.driver().findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    static double meter(String label) {
        return Double.parseDouble(browser.driver().findElement(By.cssSelector("[role=meter][aria-label='" + label + "']"))
                .getAttribute("aria-valuenow"));
    }

    static long framesDecoded(String video) {
        return ((Number) browser.runAsync(SCRIPT,
                "return document.querySelector(arguments[0]).getVideoPlaybackQuality().totalVideoFrames;", video))
                .longValue();
    }

    /** Mean grey of the top and bottom quarter of a video's current frame (its own pixels, before any CSS). */
    static Map<?, ?> topAndBottom(String video) {
        return (Map<?, ?>) browser.runAsync(SCRIPT, """
                const v = document.querySelector(arguments[0]);
                const c = document.createElement('canvas');
                c.width = 64; c.height = 48;
                const ctx = c.getContext('2d', {willReadFrequently: true});
                ctx.drawImage(v, 0, 0, 64, 48);
                const px = ctx.getImageData(0, 0, 64, 48).data;
                const rows = (from, to) => {
                  let sum = 0, n = 0;
                  for (let y = from; y < to; y++) for (let x = 8; x < 56; x++) {
                    const i = (y * 64 + x) * 4;
                    sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2]; n++;
                  }
                  return sum / n;
                };
                return {top: rows(2, 12), bottom: rows(36, 46), width: v.videoWidth, height: v.videoHeight};""", video);
    }

    static double number(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }
}
