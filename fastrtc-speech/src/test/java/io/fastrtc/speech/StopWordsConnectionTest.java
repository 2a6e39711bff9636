package io.fastrtc.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.speech.pocketsphinx.PocketSphinxSpeechToText;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnStopWords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ReplyOnStopWords} over a real peer connection: the client is told when the stop word was heard. */
class StopWordsConnectionTest {

    static RtcEngine clients;
    static FreeTtsTextToSpeech tts;

    @BeforeAll
    static void setUp() {
        clients = RtcEngine.create();
        tts = new FreeTtsTextToSpeech().warmup();
    }

    @AfterAll
    static void tearDown() {
        clients.close();
    }

    /** The data-channel messages that are not the server's "Server received" echo, until {@code last}. */
    static List<String> messagesUntil(TestPeer peer, String last, Duration wait) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String m = peer.nextMessage(Duration.ofMillis(100));
            if (m != null && !m.contains("Server received")) {
                seen.add(m);
                if (m.contains(last)) {
                    break;
                }
            }
        }
        return seen;
    }

    @Test
    void theClientHearsOfTheStopWordAndThenGetsTheReply() throws Exception {
        AudioFrame answer = tts.synthesize("It is twelve o'clock, time for lunch."); // 1.2 s of its 2.6 s loud
        PocketSphinxSpeechToText sphinx = new PocketSphinxSpeechToText();
        List<String> transcripts = new CopyOnWriteArrayList<>(); // what the server heard, to explain a failure
        Stream stream = Stream.builder().audio(ReplyOnStopWords.builder(audio -> Reply.of(answer), audio -> {
            String text = sphinx.transcribe(audio);
            transcripts.add(text);
            return text;
        }, "computer").build()).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "wake").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "wake").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            // A wake word as people use one: "computer", a breath, the question. (Said in one go, the
            // question may end before the rolling window has recognised the stop word; see
            // StopWordsWithSpeechTest for that case, frame by frame.)
            AudioFrame wakeAndAsk = AudioFrame.silence(16000, 1, 500).concat(tts.synthesize("computer"))
                    .concat(AudioFrame.silence(16000, 1, 1500)).concat(tts.synthesize("what time is it"));
            peer.say(wakeAndAsk);
            long said = System.nanoTime();

            List<String> messages = messagesUntil(peer, "response_starting", Duration.ofSeconds(20));
            if (messages.isEmpty()) {
                // A recogniser can miss a word that a 0.6 s chunk boundary cuts badly, as a person
                // sometimes has to say a wake word twice; once more, and the order must still hold.
                peer.say(wakeAndAsk);
                said = System.nanoTime();
                messages = messagesUntil(peer, "response_starting", Duration.ofSeconds(40));
            }
            long asked = said;
            assertThat(messages).as("the server transcribed %s", transcripts).containsExactly(
                    "{\"type\":\"stopword\",\"data\":\"\"}",
                    "{\"type\":\"log\",\"data\":\"started_talking\"}",
                    "{\"type\":\"log\",\"data\":\"pause_detected\"}",
                    "{\"type\":\"log\",\"data\":\"response_starting\"}");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    peer.heard().stream().filter(h -> h.nanos() > asked && h.rms() > 1000).count())
                    .as("loud 10 ms frames heard of %d after the question", peer.heard().stream()
                            .filter(h -> h.nanos() > asked).count())
                    .isGreaterThanOrEqualTo(60));
        }
    }
}
