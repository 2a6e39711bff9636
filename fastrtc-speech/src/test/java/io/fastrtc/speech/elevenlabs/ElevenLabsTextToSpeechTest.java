package io.fastrtc.speech.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.socket.Resources;
import io.fastrtc.speech.socket.SpeechServiceException;
import io.fastrtc.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ElevenLabs client against {@link FakeElevenLabs}, a loopback server speaking its documented protocol. */
class ElevenLabsTextToSpeechTest {

    final FakeElevenLabs fake = new FakeElevenLabs();

    @AfterEach
    void stop() {
        fake.close();
    }

    ElevenLabsTextToSpeech.Builder client() {
        return new ElevenLabsTextToSpeech.Builder(name -> null).baseUrl(fake.baseUrl).apiKey(FakeElevenLabs.KEY)
                .voiceId("voice-1").timeout(Duration.ofSeconds(5));
    }

    static List<AudioFrame> drain(LiveSpeech speech) {
        List<AudioFrame> audio = new ArrayList<>();
        speech.forEachRemaining(audio::add);
        return audio;
    }

    /** Whether audio comes within a few seconds (without waiting forever if it never does). */
    static boolean audioArrives(LiveSpeech speech) throws Exception {
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(speech::hasNext);
        try {
            return next.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Test
    void speaksTheFirstSentenceWhileTheRestIsStillBeingWritten() throws Exception {
        List<AudioFrame> audio = new ArrayList<>();
        try (LiveSpeech speech = client().build().live()) {
            speech.append("Hel");
            speech.append("lo there. How");
            assertThat(audioArrives(speech)).as("the first sentence is spoken before the reply is finished").isTrue();
            AudioFrame first = speech.next();
            assertThat(first.sampleRate()).isEqualTo(16000);
            audio.add(first);
            speech.append(" are you?");
            speech.finish();
            audio.addAll(drain(speech));
        }
        assertThat(FakeElevenLabs.spoken(audio)).isEqualTo("Hello there. How are you? ");
        assertThat(fake.messages.get(0)).containsExactly("{\"text\":\" \"}", "{\"text\":\"Hello there. \",\"flush\":true}",
                "{\"text\":\"How are \"}", "{\"text\":\"you? \",\"flush\":true}", "{\"text\":\"\"}");
        assertThat(fake.paths.get(0))
                .isEqualTo("/v1/text-to-speech/voice-1/stream-input?model_id=eleven_flash_v2_5&output_format=pcm_16000");
        await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
    }

    @Test
    void synthesisesAndStreamsWholeTexts() throws Exception {
        ElevenLabsTextToSpeech tts = client().sampleRate(24000).modelId("eleven_turbo_v2_5")
                .voiceSettings(new ElevenLabsTextToSpeech.VoiceSettings(0.4, 0.8, 0, false, 1.1))
                .chunkLengthSchedule(50, 120).build();
        AudioFrame all = tts.synthesize("One. Two!");
        assertThat(all.sampleRate()).isEqualTo(24000);
        assertThat(FakeElevenLabs.spoken(List.of(all))).isEqualTo("One. Two! ");
        var init = new ObjectMapper().readTree(fake.messages.get(0).get(0));
        assertThat(init.get("text").asText()).isEqualTo(" ");
        assertThat(init.get("voice_settings").toString()).isEqualTo(
                "{\"stability\":0.4,\"similarity_boost\":0.8,\"style\":0.0,\"use_speaker_boost\":false,\"speed\":1.1}");
        assertThat(init.get("generation_config").toString()).isEqualTo("{\"chunk_length_schedule\":[50,120]}");
        assertThat(init.has("xi_api_key")).as("the key travels in the header only").isFalse();
        assertThat(fake.paths.get(0)).contains("model_id=eleven_turbo_v2_5", "output_format=pcm_24000");

        assertThat(FakeElevenLabs.spoken(drain(tts.stream("Hi. Bye.")))).isEqualTo("Hi. Bye. ");
        assertThat(tts.synthesize("  ").isEmpty()).isTrue();
        assertThat(fake.connections).as("blank text needs no socket").hasValue(2);
    }

    @Test
    void aBadKeyIsRefusedAtTheHandshakeWithAClearError() {
        assertThatThrownBy(() -> client().apiKey("xi-wrong-key-55").build().live())
                .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("ElevenLabs at " + fake.baseUrl + "/v1/text-to-speech/voice-1/stream-input")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("ELEVENLABS_API_KEY")
                .hasMessageNotContaining("xi-wrong-key-55");
    }

    @Test
    void aRateLimitSaysWhenToRetry() {
        fake.refuse = 429;
        assertThatThrownBy(() -> client().build().synthesize("Hi."))
                .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.status()).isEqualTo(429))
                .hasMessageContaining("try again later")
                .hasMessageContaining("Retry-After: 3");
    }

    @Test
    void anErrorFromTheServiceIsShownAsItSaidIt() {
        fake.quotaError = true;
        LiveSpeech speech = client().build().live();
        speech.append("Hello. ");
        assertThatThrownBy(speech::hasNext)
                .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.closeCode()).isEqualTo(1008))
                .hasMessageContaining("This request exceeds your quota")
                .hasMessageContaining("check the key, the quota");
        assertThat(speech.hasNext()).as("after the error the reply is over").isFalse();
        assertThat(fake.connections).as("not retried: the service refused").hasValue(1);
    }

    @Test
    void aSocketDroppedBeforeAnyAudioIsReplacedAndTheWholeReplySpoken() {
        fake.dropBeforeAudio = true;
        ElevenLabsTextToSpeech tts = client().build();
        try (LiveSpeech speech = tts.live()) {
            speech.append("First part. ");
            await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
            speech.append("Second part.");
            speech.finish();
            assertThat(FakeElevenLabs.spoken(drain(speech))).isEqualTo("First part. Second part. ");
        }
        assertThat(fake.connections).hasValue(2);
    }

    @Test
    void aSocketDroppedMidAnswerGivesTheAudioSoFarThenAClearError() throws Exception {
        fake.dropAfterAudio = true;
        ElevenLabsTextToSpeech tts = client().build();
        LiveSpeech speech = tts.live();
        speech.append("Hello there. How are you?");
        speech.finish();
        assertThat(audioArrives(speech)).isTrue();
        AudioFrame partial = speech.next();
        assertThat(FakeElevenLabs.spoken(List.of(partial))).as("the first half of the first sentence").isEqualTo("Hello t");
        assertThatThrownBy(speech::hasNext)
                .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.closeCode()).isEqualTo(1006))
                .hasMessageContaining("after 1 audio message(s) from ElevenLabs, the connection was lost");
        assertThat(speech.hasNext()).isFalse();
        assertThat(fake.connections).as("audio came, so sending the text again would repeat it").hasValue(1);
        // the client carries on with the next reply
        assertThat(FakeElevenLabs.spoken(List.of(tts.synthesize("Sorry.")))).isEqualTo("Sorry. ");
    }

    @Test
    void closingStopsTheReplyAtOnce() throws Exception {
        LiveSpeech speech = client().build().live();
        speech.append("A first sentence. A second one is being written");
        assertThat(audioArrives(speech)).isTrue();
        speech.close();
        assertThat(speech.hasNext()).isFalse();
        speech.append("more"); // ignored
        speech.finish();
        await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
    }

    @Test
    void repliesReleaseTheirThreadsAndSockets() throws Exception {
        ElevenLabsTextToSpeech tts = client().build();
        tts.synthesize("Warm up.");
        Resources base = Resources.now();
        for (int i = 0; i < 12; i++) {
            switch (i % 4) {
                case 0 -> assertThat(FakeElevenLabs.spoken(List.of(tts.synthesize("Fine, thanks.")))).isEqualTo("Fine, thanks. ");
                case 1 -> {
                    fake.dropAfterAudio = true;
                    assertThatThrownBy(() -> tts.synthesize("Dropped. Answer.")).isInstanceOf(SpeechServiceException.class);
                }
                case 2 -> {
                    fake.refuse = 429;
                    assertThatThrownBy(tts::live).isInstanceOf(SpeechServiceException.class);
                    fake.refuse = 0;
                }
                default -> {
                    LiveSpeech speech = tts.live();
                    speech.append("Interrupted. Reply");
                    assertThat(audioArrives(speech)).isTrue();
                    speech.close();
                }
            }
        }
        Resources.awaitReleased(base, fake.open);
    }

    @Test
    void theKeyNeverShowsInTextOrLogs() {
        LogCapture logs = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ElevenLabsTextToSpeech tts = client().build();
        try {
            fake.dropBeforeAudio = true;
            try (ElevenLabsSpeech speech = tts.stream("Hello.")) {
                assertThat(FakeElevenLabs.spoken(drain(speech))).isEqualTo("Hello. ");
                assertThat(speech.toString()).doesNotContain(FakeElevenLabs.KEY);
            }
        } finally {
            logs.close();
        }
        assertThat(tts.toString()).contains("key set").doesNotContain(FakeElevenLabs.KEY);
        assertThat(logs.lines()).anyMatch(m -> m.contains("sent the reply again"));
        assertThat(logs.lines()).noneMatch(m -> m.contains(FakeElevenLabs.KEY));
        fake.messages.forEach(m -> assertThat(m).noneMatch(s -> s.contains(FakeElevenLabs.KEY)));
    }

    @Test
    void theKeyComesFromTheEnvironmentUnlessGiven() {
        ElevenLabsTextToSpeech fromEnv = new ElevenLabsTextToSpeech.Builder(
                name -> name.equals("ELEVENLABS_API_KEY") ? FakeElevenLabs.KEY : null)
                .baseUrl(fake.baseUrl).voiceId("v").build();
        assertThat(FakeElevenLabs.spoken(List.of(fromEnv.synthesize("Yes.")))).isEqualTo("Yes. ");
    }

    @Test
    void theOptionsAreChecked() {
        assertThat(ElevenLabsTextToSpeech.builder().voiceId("abc").build().uri().toString()).isEqualTo(
                "wss://api.elevenlabs.io/v1/text-to-speech/abc/stream-input?model_id=eleven_flash_v2_5&output_format=pcm_16000");
        assertThatThrownBy(() -> ElevenLabsTextToSpeech.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("voiceId(...)");
        assertThatThrownBy(() -> client().sampleRate(11025))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16000");
        assertThatThrownBy(() -> new ElevenLabsTextToSpeech.VoiceSettings(0.5, 0.75, 0, true, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed must be 0.7..1.2");
        assertThatThrownBy(() -> client().chunkLengthSchedule(20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("50..500");
        assertThatThrownBy(() -> client().baseUrl("wss://api.elevenlabs.io/v1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use \"wss://api.elevenlabs.io\"");
    }
}
