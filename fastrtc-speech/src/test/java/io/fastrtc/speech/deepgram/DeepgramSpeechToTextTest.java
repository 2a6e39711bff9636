package io.fastrtc.speech.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.fastrtc.speech.deepgram.FakeDeepgram.words;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.LiveTranscription;
import io.fastrtc.speech.Transcript;
import io.fastrtc.speech.socket.Resources;
import io.fastrtc.speech.socket.SpeechServiceException;
import io.fastrtc.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Deepgram client against {@link FakeDeepgram}, a loopback server speaking its documented protocol. */
class DeepgramSpeechToTextTest {

    final FakeDeepgram fake = new FakeDeepgram();
    final List<Transcript> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        fake.close();
    }

    DeepgramSpeechToText.Builder client() {
        return new DeepgramSpeechToText.Builder(name -> null).baseUrl(fake.baseUrl).apiKey(FakeDeepgram.KEY)
                .timeout(Duration.ofSeconds(5));
    }

    /** Sends {@code audio} in 20 ms frames, as a call delivers it. */
    static void sendInFrames(LiveTranscription live, AudioFrame audio) {
        for (int from = 0; from < audio.samplesPerChannel(); from += 320) {
            live.send(audio.slice(from, Math.min(from + 320, audio.samplesPerChannel())));
        }
    }

    @Test
    void streamsAudioAndHearsInterimFinalAndEndOfSpeech() {
        DeepgramSpeechToText stt = client().model("nova-3").interimResults(true)
                .endpointing(Duration.ofMillis(300)).build();
        String said;
        try (LiveTranscription live = stt.live(heard::add)) {
            sendInFrames(live, words(1, 2, 3, 4, 5, 6, 0, 7, 8));
            said = live.finish();
        }
        assertThat(said).isEqualTo("w1 w2 w3 w4 w5 w6 w7 w8");
        assertThat(heard).contains(new Transcript("w1", false, false), new Transcript("w1 w2", false, false),
                new Transcript("w1 w2 w3 w4", true, false), new Transcript("w5 w6", true, true),
                new Transcript("w7 w8", true, false));
        assertThat(heard.indexOf(new Transcript("w1", false, false)))
                .as("interim words come before the final ones").isLessThan(heard.indexOf(
                        new Transcript("w1 w2 w3 w4", true, false)));

        var query = fake.queries.get(0);
        assertThat(query.get("encoding")).containsExactly("linear16");
        assertThat(query.get("sample_rate")).containsExactly("16000");
        assertThat(query.get("channels")).containsExactly("1");
        assertThat(query.get("model")).containsExactly("nova-3");
        assertThat(query.get("interim_results")).containsExactly("true");
        assertThat(query.get("endpointing")).containsExactly("300");
        assertThat(fake.controls).last().isEqualTo("{\"type\":\"CloseStream\"}");
        await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
    }

    @Test
    void transcribesAWholeRecordingAtAnyRate() {
        DeepgramSpeechToText stt = client().build();
        assertThat(stt.transcribe(words(3, 1, 4))).isEqualTo("w3 w1 w4");
        assertThat(stt.transcribe(AudioFrame.silence(48000, 2, 0))).isEmpty();
        // 48 kHz stereo arrives as 16 kHz mono (a constant level survives resampling inside each block)
        assertThat(stt.transcribe(AudioFrame.silence(48000, 2, 300))).isEmpty();
        assertThat(fake.queries.get(1).get("sample_rate")).containsExactly("16000");
        assertThat(fake.queries).hasSize(2).as("nothing is sent for no audio");
    }

    @Test
    void finalizeGivesFinalWordsAndKeepsTheStreamOpen() {
        DeepgramSpeechToText stt = client().build();
        try (DeepgramTranscription live = stt.live(heard::add)) {
            live.send(words(1, 2));
            live.finalizeNow();
            await().untilAsserted(() -> assertThat(heard).contains(new Transcript("w1 w2", true, false)));
            live.send(words(9));
            assertThat(live.finish()).isEqualTo("w1 w2 w9");
        }
        assertThat(fake.controls).containsExactly("{\"type\":\"Finalize\"}", "{\"type\":\"CloseStream\"}");
    }

    @Test
    void keepsAQuietStreamAlive() {
        DeepgramSpeechToText stt = client().keepAlive(Duration.ofMillis(300)).build();
        try (DeepgramTranscription live = stt.live(heard::add)) {
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(fake.controls).contains("{\"type\":\"KeepAlive\"}"));
            live.send(words(5));
            assertThat(live.finish()).isEqualTo("w5");
        }
    }

    @Test
    void aBadKeyIsRefusedAtTheHandshakeWithAClearError() {
        for (String key : new String[] {"dg-wrong-key-77", null}) {
            DeepgramSpeechToText stt = client().apiKey(key).build();
            assertThatThrownBy(() -> stt.live(heard::add))
                    .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("Deepgram at " + fake.baseUrl + "/v1/listen")
                    .hasMessageContaining("HTTP 401: Invalid credentials.")
                    .hasMessageContaining("DEEPGRAM_API_KEY")
                    .hasMessageNotContaining("dg-wrong-key-77");
        }
        assertThat(fake.connections).hasValue(0);
    }

    @Test
    void aRateLimitSaysWhenToRetry() {
        fake.refuse = 429;
        assertThatThrownBy(() -> client().build().transcribe(words(1)))
                .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.status()).isEqualTo(429))
                .hasMessageContaining("Too many requests")
                .hasMessageContaining("try again later")
                .hasMessageContaining("Retry-After: 7");
    }

    @Test
    void aSocketDroppedMidAnswerReconnectsAndLosesNoWords() {
        DeepgramSpeechToText stt = client().interimResults(true).build();
        fake.dropAfterBlocks = 6; // after the final for w1..w4, with w5 and w6 heard but not final
        String said;
        try (LiveTranscription live = stt.live(heard::add)) {
            sendInFrames(live, words(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
            said = live.finish();
        }
        assertThat(said).isEqualTo("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10");
        assertThat(fake.connections).hasValue(2);
        await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
    }

    @Test
    void aDropWithNoReconnectLeftIsAClearErrorAndTheClientStillWorks() {
        DeepgramSpeechToText stt = client().reconnects(0).build();
        fake.dropAfterBlocks = 2;
        LiveTranscription live = stt.live(heard::add);
        live.send(words(1, 2, 3));
        await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
        assertThatThrownBy(live::finish)
                .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.closeCode()).isEqualTo(1006))
                .hasMessageContaining("connection to Deepgram was lost")
                .hasMessageContaining("reconnects(...)");
        assertThatThrownBy(() -> live.send(words(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open another");
        assertThat(stt.transcribe(words(4, 2))).isEqualTo("w4 w2");
    }

    @Test
    void anErrorCloseNamesTheProblem() {
        DeepgramSpeechToText stt = client().build();
        fake.closeWith = new Object[] {1008, "DATA-0000"};
        try (LiveTranscription live = stt.live(heard::add)) {
            live.send(words(1));
            await().untilAsserted(() -> assertThat(fake.open).hasValue(0));
            assertThatThrownBy(() -> live.send(words(2)))
                    .isInstanceOfSatisfying(SpeechServiceException.class, e -> assertThat(e.closeCode()).isEqualTo(1008))
                    .hasMessageContaining("1008 DATA-0000")
                    .hasMessageContaining("could not be decoded");
        }
        assertThat(fake.connections).as("not retried: the audio itself is wrong").hasValue(1);
    }

    @Test
    void sessionsReleaseTheirThreadsAndSockets() {
        DeepgramSpeechToText stt = client().keepAlive(Duration.ofMillis(200)).build();
        assertThat(stt.transcribe(words(1))).isEqualTo("w1"); // pools that start once
        Resources base = Resources.now();
        for (int i = 0; i < 12; i++) {
            switch (i % 4) {
                case 0 -> assertThat(stt.transcribe(words(1, 2))).isEqualTo("w1 w2");
                case 1 -> {
                    fake.dropAfterBlocks = 1;
                    assertThat(stt.transcribe(words(1, 2, 3))).isEqualTo("w1 w2 w3");
                }
                case 2 -> {
                    fake.refuse = 429;
                    assertThatThrownBy(() -> stt.transcribe(words(1))).isInstanceOf(SpeechServiceException.class);
                    fake.refuse = 0;
                }
                default -> stt.live(heard::add).close(); // abandoned
            }
        }
        Resources.awaitReleased(base, fake.open);
    }

    @Test
    void theKeyNeverShowsInTextOrLogs() {
        LogCapture logs = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try {
            DeepgramSpeechToText stt = client().build();
            fake.dropAfterBlocks = 1;
            try (DeepgramTranscription live = stt.live(heard::add)) {
                live.send(words(1, 2));
                assertThat(live.finish()).isEqualTo("w1 w2");
                assertThat(live.toString()).doesNotContain(FakeDeepgram.KEY);
            }
            assertThat(stt.toString()).contains("key set").doesNotContain(FakeDeepgram.KEY);
            assertThat(stt.uri().toString()).doesNotContain(FakeDeepgram.KEY);
        } finally {
            logs.close();
        }
        assertThat(logs.lines()).anyMatch(m -> m.contains("reconnected"));
        assertThat(logs.lines()).noneMatch(m -> m.contains(FakeDeepgram.KEY));
    }

    @Test
    void theKeyComesFromTheEnvironmentUnlessGiven() {
        DeepgramSpeechToText fromEnv = new DeepgramSpeechToText.Builder(
                name -> name.equals("DEEPGRAM_API_KEY") ? FakeDeepgram.KEY : null).baseUrl(fake.baseUrl).build();
        assertThat(fromEnv.transcribe(words(2))).isEqualTo("w2");
        DeepgramSpeechToText given = new DeepgramSpeechToText.Builder(name -> "dg-other")
                .baseUrl(fake.baseUrl).apiKey(FakeDeepgram.KEY).build();
        assertThat(given.transcribe(words(3))).isEqualTo("w3");
    }

    @Test
    void theOptionsAreChecked() {
        assertThat(DeepgramSpeechToText.builder().build().uri().toString())
                .startsWith("wss://api.deepgram.com/v1/listen?encoding=linear16&sample_rate=16000&channels=1");
        assertThat(client().endpointing(Duration.ZERO).utteranceEnd(Duration.ofMillis(1000))
                .parameter("keyterm", "Fast RTC").build().uri().getRawQuery())
                .contains("endpointing=false", "utterance_end_ms=1000", "keyterm=Fast+RTC");
        assertThatThrownBy(() -> client().baseUrl("https://api.deepgram.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws(s)://");
        assertThatThrownBy(() -> client().baseUrl("wss://api.deepgram.com/v1/listen"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use \"wss://api.deepgram.com\"");
        assertThatThrownBy(() -> client().parameter("sample_rate", "8000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate(...)");
        assertThatThrownBy(() -> client().utteranceEnd(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000 ms");
    }
}
