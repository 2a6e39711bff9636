package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.speech.pocketsphinx.PocketSphinxSpeechToText;
import io.fastrtc.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The voice-chat page in Chromium: its fake microphone plays a FreeTTS question, the page connects,
 * and the conversation must appear on the page.
 */
class VoiceChatBrowserTest {

    private static final Duration SCRIPT = Duration.ofSeconds(15);

    @Test
    void thePageShowsTheConversation() throws Exception {
        FreeTtsTextToSpeech tts = new FreeTtsTextToSpeech().warmup();
        // Chromium loops the file: one question, then quiet long enough for the answer.
        Path microphone = Files.createTempFile("voice-chat-question", ".wav");
        Wav.write(AudioFrame.silence(16000, 1, 1000)
                .concat(tts.synthesize("what is the weather like today"))
                .concat(AudioFrame.silence(16000, 1, 12000)).resample(48000), microphone);
        VoiceChat chat = new VoiceChat(new PocketSphinxSpeechToText(), new RuleBasedChatModel(), tts);
        try (ExampleApp example = new ExampleApp(chat.stream(), VoiceChatDemo.create(chat.stream()));
                Browser browser = Browser.launch("--use-file-for-fake-audio-capture=" + microphone)) {
            browser.open(example.base + "/");
            browser.runAsync(SCRIPT, "document.getElementById('toggle').click();");
            await().atMost(Duration.ofSeconds(15)).until(() -> "Live".equals(text(browser, "status")));

            await().atMost(Duration.ofSeconds(60)).until(() -> messages(browser).size() >= 2);
            List<?> messages = messages(browser);
            assertThat(((Map<?, ?>) messages.get(0)).get("role")).isEqualTo("message user");
            assertThat((String) ((Map<?, ?>) messages.get(0)).get("text")).contains("weather");
            assertThat(((Map<?, ?>) messages.get(1)).get("role")).isEqualTo("message assistant");
            assertThat(((Map<?, ?>) messages.get(1)).get("text")).isEqualTo(VoiceChatDemoTest.WEATHER_ANSWER);
            assertThat(text(browser, "activity")).isIn("Listening…", "Thinking…", "Speaking…",
                    "Interrupted, listening…");
            browser.screenshot(Path.of("target/screenshots/voice-chat.png"));

            browser.runAsync(SCRIPT, "document.getElementById('toggle').click();");
            assertThat(text(browser, "status")).isEqualTo("Idle");
            await().atMost(Duration.ofSeconds(15)).until(() -> chat.stream().connectionIds().isEmpty());
        } finally {
            Files.deleteIfExists(microphone);
        }
    }

    private static String text(Browser browser, String id) {
        return (String) browser.runAsync(SCRIPT, "return document.getElementById(arguments[0]).textContent;", id);
    }

    /** The transcript's bubbles: their class and text. */
    private static List<?> messages(Browser browser) {
        return (List<?>) browser.runAsync(SCRIPT, """
                return [...document.querySelectorAll('#transcript .message')]
                    .map(m => ({role: m.className, text: m.textContent}));""");
    }
}
