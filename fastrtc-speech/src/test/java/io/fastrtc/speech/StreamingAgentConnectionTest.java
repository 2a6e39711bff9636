package io.fastrtc.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.deepgram.DeepgramSpeechToText;
import io.fastrtc.speech.deepgram.FakeDeepgram;
import io.fastrtc.speech.elevenlabs.ElevenLabsTextToSpeech;
import io.fastrtc.speech.elevenlabs.FakeElevenLabs;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.ReplyOnPause;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A streaming agent (Deepgram hearing, ElevenLabs speaking) on a real stream,
 * called over FastRTC's WebSocket protocol: when ElevenLabs' socket drops in the middle of a
 * reply the caller gets the audio so far and an error message, and the next turn is answered in full.
 */
class StreamingAgentConnectionTest {

    static final String ANSWER = "I heard you. Anything else?";

    @Test
    void aReplyCutByTheServiceLeavesTheCallUsable() throws Exception {
        AudioFrame hello = Speech.say("hello there this is a test of the voice agent");
        List<String> heard = new CopyOnWriteArrayList<>();
        try (FakeDeepgram deepgram = new FakeDeepgram(); FakeElevenLabs elevenLabs = new FakeElevenLabs()) {
            DeepgramSpeechToText stt = DeepgramSpeechToText.builder().baseUrl(deepgram.baseUrl)
                    .apiKey(FakeDeepgram.KEY).build();
            ElevenLabsTextToSpeech tts = ElevenLabsTextToSpeech.builder().baseUrl(elevenLabs.baseUrl)
                    .apiKey(FakeElevenLabs.KEY).voiceId("v").build();
            Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> {
                LiveSpeech speech = tts.live();
                heard.add(stt.transcribe(audio));
                speech.append(ANSWER);
                speech.finish();
                return speech;
            })).build();
            try (StreamServer server = StreamServer.start(stream);
                    SocketCaller caller = SocketCaller.fastrtc(
                            server.baseUrl().replace("http:", "ws:") + "/websocket/offer", 48000, 16000)) {
                caller.start("agent", Map.of());
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("agent"));
                Thread.sleep(500);

                elevenLabs.dropAfterAudio = true;
                caller.say(hello);
                assertThat(caller.awaitMessage("\"error\"", Duration.ofSeconds(30))).isNotNull();
                // the error goes out at once; the audio before the drop (half the answer) is paced behind it
                double whole = ANSWER.length() * 5; // the fake speaks 5 ms a character
                await().atMost(Duration.ofSeconds(5)).until(() -> receivedMillis(caller) >= whole / 2 - 20);
                Thread.sleep(300);
                double firstReply = receivedMillis(caller);
                assertThat(firstReply).as("only the audio before the drop was played").isLessThan(whole - 20);
                assertThat(heard).hasSize(1);

                caller.say(hello);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receivedMillis(caller) - firstReply >= whole - 20);
                assertThat(heard).hasSize(2);
                assertThat(elevenLabs.connections).hasValue(2);
                assertThat(caller.received()).filteredOn(m -> m.contains("\"error\"")).hasSize(1);
                assertThat(String.join("\n", caller.received())).doesNotContain(FakeElevenLabs.KEY, FakeDeepgram.KEY);
            }
        }
    }

    static double receivedMillis(SocketCaller caller) {
        return caller.media().stream().mapToInt(SocketCaller.Media::samples).sum() / 16.0;
    }
}
