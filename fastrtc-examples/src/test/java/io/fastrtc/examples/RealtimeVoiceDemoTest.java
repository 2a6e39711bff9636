package io.fastrtc.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.realtime.FakeOpenAi;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.ui.Chatbot.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The realtime demo: without a key it says what to set; with one it bridges a WebRTC caller to the
 * model (here a local fake of the OpenAI Realtime endpoint) and answers aloud.
 */
class RealtimeVoiceDemoTest {

    @Test
    void withoutAKeyItExplainsWhatToSet() {
        RealtimeVoiceDemo.Options openai = RealtimeVoiceDemo.Options.parse(new String[0], null);
        RealtimeVoiceDemo.Options gemini = RealtimeVoiceDemo.Options.parse(new String[] {"8001", "--gemini"}, null);
        assertThat(RealtimeVoiceDemo.missingKey(openai, name -> null)).contains("export OPENAI_API_KEY=");
        assertThat(RealtimeVoiceDemo.missingKey(gemini, name -> " ")).contains("export GEMINI_API_KEY=");
        assertThat(RealtimeVoiceDemo.missingKey(openai, Map.of("OPENAI_API_KEY", "sk-x")::get)).isNull();
        assertThat(gemini.port()).isEqualTo(8001);
        assertThatThrownBy(() -> RealtimeVoiceDemo.Options.parse(new String[] {"--openai"}, null))
                .hasMessageContaining("--gemini");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWebRtcCallerTalksToTheModel() throws Exception {
        try (FakeOpenAi fake = new FakeOpenAi(); RtcEngine engine = RtcEngine.create()) {
            RealtimeVoiceDemo.Options options = new RealtimeVoiceDemo.Options(0, false, null, fake.url());
            var stream = RealtimeVoiceDemo.stream(RealtimeVoiceDemo.handler(options, name -> "test-key"));
            try (ExampleApp example = new ExampleApp(stream, VoiceChatDemo.create(stream));
                    TestPeer peer = new TestPeer(engine, "rt-1").sendAudio().dataChannel("text")) {
                assertThat(Signaling.connect(peer, example.base + "/webrtc/offer", "rt-1").isAnswer()).isTrue();
                assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
                try (OutputFeed feed = example.stream.outputStream("rt-1")) {
                    peer.say(AudioFrame.silence(16000, 1, 300).concat(tone(16000, 300, 700)));
                    // the fake answers with a 3 s, 440 Hz tone: heard through the peer's 48 kHz track
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            peer.heard().stream().filter(h -> h.rms() > 1000).count() >= 100);
                    assertThat(fake.sessions()).isEqualTo(1);
                    List<Message> conversation = null;
                    while (conversation == null || conversation.size() < 2) {
                        AdditionalOutputs next = feed.poll(Duration.ofSeconds(20));
                        assertThat(next).isNotNull();
                        conversation = (List<Message>) next.get(0);
                    }
                    assertThat(conversation.get(1)).isEqualTo(Message.assistant("Reply number 1 from the fake model"));
                }
            }
        }
    }

    static AudioFrame tone(int rate, double hz, int millis) {
        short[] s = new short[rate * millis / 1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(9000 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return AudioFrame.ofPcm16(rate, 1, s);
    }
}
