package io.fastrtc.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.deepgram.DeepgramSpeechToText;
import io.fastrtc.speech.deepgram.FakeDeepgram;
import io.fastrtc.speech.elevenlabs.ElevenLabsTextToSpeech;
import io.fastrtc.speech.elevenlabs.FakeElevenLabs;
import io.fastrtc.stream.Stream;
import io.fastrtc.turn.ReplyOnPause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The streaming section of fastrtc-speech/README.md, compiled, and its agent run against the two fakes. */
class StreamingReadmeTest {

    /** Stands for the app's streaming chat model (a LangChain4j StreamingChatModel, say). */
    interface StreamingChat {
        void stream(String prompt, Consumer<String> token, Runnable done);
    }

    /** Writes "You said: <prompt>. Anything else?" a few characters at a time, on its own thread. */
    static final StreamingChat CHAT = (prompt, token, done) -> new Thread(() -> {
        String answer = "You said: " + prompt + ". Anything else?";
        for (int i = 0; i < answer.length(); i += 3) {
            token.accept(answer.substring(i, Math.min(i + 3, answer.length())));
        }
        done.run();
    }).start();

    @Test
    void theReadmeSnippetCompilesAndBuilds() {
        StreamingChat chat = CHAT;
        // --- README: fastrtc-speech, "Streaming" ---
        DeepgramSpeechToText stt = DeepgramSpeechToText.builder()              // key from $DEEPGRAM_API_KEY
                .model("nova-3").endpointing(Duration.ofMillis(300)).build();
        ElevenLabsTextToSpeech tts = ElevenLabsTextToSpeech.builder()          // key from $ELEVENLABS_API_KEY
                .voiceId("JBFqnCBsd6RMkjVDRZzb").build();

        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> {
            LiveSpeech speech = tts.live();                      // connects while the model thinks
            chat.stream(stt.transcribe(audio), speech::append, speech::finish);  // your streaming model
            return speech;                                       // audio as it arrives; closed on barge-in
        })).build();
        // (the live-transcription lines need a reachable service; they run below against the fake)
        // --- end ---
        try (stream) {
            assertThat(stt.uri().toString()).startsWith("wss://api.deepgram.com/v1/listen?")
                    .contains("model=nova-3", "endpointing=300");
            assertThat(tts.uri().toString()).startsWith("wss://api.elevenlabs.io/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/");
        }
    }

    @Test
    void theReadmeAgentHearsThinksAndSpeaksThroughBothProtocols() throws Exception {
        try (FakeDeepgram deepgram = new FakeDeepgram(); FakeElevenLabs elevenLabs = new FakeElevenLabs()) {
            StreamingChat chat = CHAT;
            DeepgramSpeechToText stt = DeepgramSpeechToText.builder().baseUrl(deepgram.baseUrl)
                    .apiKey(FakeDeepgram.KEY).model("nova-3").endpointing(Duration.ofMillis(300)).build();
            ElevenLabsTextToSpeech tts = ElevenLabsTextToSpeech.builder().baseUrl(elevenLabs.baseUrl)
                    .apiKey(FakeElevenLabs.KEY).voiceId("JBFqnCBsd6RMkjVDRZzb").build();
            ReplyOnPause.ReplyFunction agent = audio -> {
                LiveSpeech speech = tts.live();
                chat.stream(stt.transcribe(audio), speech::append, speech::finish);
                return speech;
            };
            List<AudioFrame> reply = new ArrayList<>();
            agent.reply(FakeDeepgram.words(4, 2)).forEachRemaining(e -> reply.add((AudioFrame) e));
            assertThat(FakeElevenLabs.spoken(reply)).isEqualTo("You said: w4 w2. Anything else? ");

            List<AudioFrame> frames = List.of(FakeDeepgram.words(7), FakeDeepgram.words(0));
            String said;
            try (LiveTranscription live = stt.live(t -> System.out.println((t.isFinal() ? "final: " : "... ") + t.text()))) {
                frames.forEach(live::send);                          // any rate: resampled to 16 kHz mono
                said = live.finish();                                // CloseStream, then every final word
            }
            assertThat(said).isEqualTo("w7");
        }
    }
}
