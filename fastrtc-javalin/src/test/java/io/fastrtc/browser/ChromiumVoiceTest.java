package io.fastrtc.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Browser;
import io.fastrtc.testing.Speech;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Chromium's fake microphone, fed a synthesised sentence, talks to a ReplyOnPause echo. */
class ChromiumVoiceTest {

    @Test
    @SuppressWarnings("unchecked")
    void aBrowserTalksToReplyOnPauseAndHearsTheReply() throws Exception {
        AudioFrame sentence = Speech.say("hello can you hear me this is a browser talking").resample(48000);
        // Silence before and after: the fake microphone plays the file once, then stays silent.
        AudioFrame clip = AudioFrame.silence(48000, 1, 1500).concat(sentence)
                .concat(AudioFrame.silence(48000, 1, 4000));
        Path wav = Files.createTempFile("fastrtc-voice", ".wav");
        Wav.write(clip, wav);
        List<AudioFrame> heard = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> {
            heard.add(audio);
            return Reply.of(audio);
        })).build();
        Javalin app = Javalin.create(cfg -> {
            cfg.staticFiles.add("/browser", Location.CLASSPATH);
            cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = "/api"));
        });
        app.start(0);
        try (Browser browser = Browser.launch("--use-file-for-fake-audio-capture=" + wav + "%noloop")) {
            browser.open("http://127.0.0.1:" + app.port() + "/voice-echo.html");
            browser.runAsync(Duration.ofSeconds(20), "return await window.voice.start(arguments[0], arguments[1]);",
                    "/api/webrtc/offer", "chromium-voice");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Map<?, ?> r = result(browser);
                return ((List<?>) r.get("logs")).contains("response_starting")
                        && ((Number) r.get("maxRmsAfterResponse")).doubleValue() > 0.02;
            });
            Map<?, ?> result = result(browser);
            assertThat((List<Object>) result.get("logs")).containsSubsequence("started_talking", "pause_detected",
                    "response_starting");
            assertThat(heard).hasSize(1);
            // The reply is what was said: at least the sentence, at most a few chunks more.
            assertThat(heard.get(0).durationMillis()).isBetween(sentence.durationMillis(),
                    sentence.durationMillis() + 3000);
            assertThat(((Number) result.get("maxRmsBeforeResponse")).doubleValue())
                    .as("nothing is played before the reply").isLessThan(0.01);
            // 10 ms Opus packets both ways: the browser's encoder followed the answer's a=ptime, ours the offer's.
            Map<?, ?> packets = (Map<?, ?>) browser.runAsync(Duration.ofSeconds(5),
                    "return await window.voice.packetTimes();");
            assertThat(((Number) packets.get("sentMs")).doubleValue()).as("browser → server, ms per packet")
                    .isBetween(8.0, 14.0);
            assertThat(((Number) packets.get("receivedMs")).doubleValue()).as("server → browser, ms per packet")
                    .isBetween(8.0, 14.0);
            browser.screenshot(Path.of("target/screenshots/chromium-voice.png"));
            browser.runAsync(Duration.ofSeconds(5), "window.voice.stop();");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
        } finally {
            stream.close();
            app.stop();
            Files.deleteIfExists(wav);
        }
    }

    private static Map<?, ?> result(Browser browser) {
        return (Map<?, ?>) browser.runAsync(Duration.ofSeconds(5), "return window.voice.result();");
    }
}
