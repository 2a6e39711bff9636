package io.fastrtc.turn.silero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.turn.AlgoOptions;
import io.fastrtc.turn.Endpointing;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** ReplyOnPause with Silero as its pause detector, over a real peer connection. */
class SileroReplyOnPauseTest {

    /**
     * Says {@code sentence} to an echo configured by {@code configure} (with Silero) over a real peer
     * until the reply is heard; the turns the reply function got.
     */
    private static List<AudioFrame> turnsOf(AudioFrame sentence, UnaryOperator<ReplyOnPause.Builder> configure)
            throws Exception {
        List<AudioFrame> turns = new CopyOnWriteArrayList<>();
        try (SileroVad silero = new SileroVad()) {
            Stream stream = Stream.builder().audio(configure.apply(ReplyOnPause.builder(audio -> {
                turns.add(audio);
                return Reply.of(audio);
            }).model(silero)).build()).build();
            try (StreamServer server = StreamServer.start(stream);
                    TestPeer peer = new TestPeer(Clients.engine(), "silero").sendAudio().dataChannel("text")) {
                assertThat(Signaling.connect(peer, server.offerUrl(), "silero").isAnswer()).isTrue();
                assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
                Thread.sleep(600);
                peer.say(sentence);
                assertThat(peer.awaitMessage("started_talking", Duration.ofSeconds(10))).isNotNull();
                assertThat(peer.awaitMessage("pause_detected", Duration.ofSeconds(15))).isNotNull();
                assertThat(peer.awaitMessage("response_starting", Duration.ofSeconds(10))).isNotNull();
                await().atMost(Duration.ofSeconds(10)).until(() -> peer.heard().stream()
                        .filter(h -> h.rms() > 1500).count() > 50);
            }
        }
        return turns;
    }

    @Test
    void streamingEndOfTurnEndsTheTurnAtTheConfiguredSilenceAfterTheSentence() throws Exception {
        AudioFrame sentence = Speech.say("Please tell me what the weather will be like tomorrow");
        List<AudioFrame> turns = turnsOf(sentence,
                b -> b.endpointing(Endpointing.builder().silence(Duration.ofMillis(300)).build()));
        // The turn: up to 650 ms from before the speech opened it, the sentence, then 300 ms of silence
        // judged frame by frame (Silero's 32 ms windows), not FastRTC's chunks and 2 s.
        assertThat(turns).hasSize(1);
        assertThat(turns.get(0).durationMillis()).isBetween(sentence.durationMillis(),
                sentence.durationMillis() + 650 + 300 + 200);
    }

    @Test
    void findsTheTurnOfASpokenSentence() throws Exception {
        AudioFrame sentence = Speech.say("Good morning. Please tell me what the weather will be like tomorrow.");
        List<AudioFrame> turns = turnsOf(sentence, b -> b.algoOptions(AlgoOptions.DEFAULT)); // FastRTC's chunks
        // One turn, holding the whole sentence (Silero's 2 s minimum silence bridges the pauses
        // between its words and its full stop).
        assertThat(turns).hasSize(1);
        assertThat(turns.get(0).durationMillis()).isGreaterThanOrEqualTo(sentence.durationMillis());
    }
}
