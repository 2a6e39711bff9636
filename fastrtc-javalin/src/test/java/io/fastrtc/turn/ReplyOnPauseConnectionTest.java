package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ReplyOnPause over a real peer connection, with synthesised speech. */
class ReplyOnPauseConnectionTest {

    static final RtcEngine clients = Clients.engine();
    static AudioFrame hello;

    @BeforeAll
    static void setUp() throws Exception {
        // No punctuation: espeak pauses at a full stop, and where the pause falls against the 0.6 s chunks
        // decides whether it splits the utterance into two turns.
        hello = Speech.say("hello there this is a test of the voice agent talking for a little while longer");
    }

    static List<String> logs(TestPeer peer, Duration wait, String until) throws InterruptedException {
        List<String> logs = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String m = peer.nextMessage(Duration.ofMillis(100));
            if (m != null && m.contains("\"log\"") && !m.contains("Server received")) {
                String data = m.replaceAll(".*\"data\":\"([^\"]*)\".*", "$1");
                logs.add(data);
                if (data.equals(until)) {
                    break;
                }
            }
        }
        return logs;
    }

    static long loudSince(TestPeer peer, long sinceNanos) {
        return peer.heard().stream().filter(h -> h.nanos() >= sinceNanos && h.rms() > 1500).count();
    }

    @Test
    void echoesAnUtteranceAfterThePause() throws Exception {
        List<AudioFrame> heardByHandler = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> {
            heardByHandler.add(audio);
            return io.fastrtc.turn.Reply.of(audio);
        })).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "speaker").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "speaker").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(700);
            long start = System.nanoTime();
            peer.say(hello);
            long speechEnd = start + (long) (hello.durationMillis() * 1e6);
            List<String> logs = logs(peer, Duration.ofSeconds(20), "response_starting");
            assertThat(logs).containsExactly("started_talking", "pause_detected", "response_starting");
            await().atMost(Duration.ofSeconds(15)).until(() -> loudSince(peer, speechEnd) >= 100);
            // The echo is the whole utterance: about as long as what was said, all of it after the pause.
            assertThat(heardByHandler).hasSize(1);
            assertThat(heardByHandler.get(0).durationMillis()).isGreaterThan(hello.durationMillis());
            assertThat(peer.heard().stream().filter(h -> h.nanos() < speechEnd && h.rms() > 1500).count())
                    .isZero();
        }
    }

    @Test
    void talkingOverAReplyStopsItBeforeTheUserHasFinished() throws Exception {
        AudioFrame longReply = hello.concat(hello).concat(hello).concat(hello);
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> io.fastrtc.turn.Reply.of(longReply)))
                .build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "interrupter").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "interrupter").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(700);
            peer.say(hello);
            assertThat(logs(peer, Duration.ofSeconds(20), "response_starting")).endsWith("response_starting");
            long replyStarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> loudSince(peer, replyStarted) > 30);
            long bargeIn = System.nanoTime();
            peer.say(hello);
            List<String> logs = logs(peer, Duration.ofSeconds(10), "interrupted");
            assertThat(logs).as("cut while the user is still talking, before any pause").containsExactly(
                    "interrupted");
            long cut = System.nanoTime();
            assertThat(Duration.ofNanos(cut - bargeIn)).isLessThan(Duration.ofMillis((long) hello.durationMillis()));
            // The user is still talking, so no new reply can start yet; what the client's jitter buffer
            // held has played out well within a second, even on a loaded machine.
            assertThat(hello.durationMillis()).isGreaterThan(2500);
            long from = cut + 1_000_000_000L;
            long to = bargeIn + 2_500_000_000L;
            Thread.sleep(Math.max(0, (to - System.nanoTime()) / 1_000_000));
            assertThat(peer.heard().stream().filter(h -> h.nanos() >= from && h.nanos() < to && h.rms() > 1500))
                    .as("reply audio a second after the cut").isEmpty();
        }
    }
}
