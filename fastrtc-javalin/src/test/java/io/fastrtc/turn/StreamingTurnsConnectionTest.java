package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The streaming default over a real peer connection, as a caller hears it: a spoken question is
 * answered; a short word and a burst of noise (sox) over the answer do not cut it; a sentence does,
 * and the reply's producer learns how much of it the caller heard.
 */
class StreamingTurnsConnectionTest {

    /** The reply: a steady tone, so every frame of it the caller hears is loud. */
    static AudioFrame tone(int millis) {
        int rate = 24000;
        short[] s = new short[rate * millis / 1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (9000 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        return AudioFrame.ofPcm16(rate, 1, s);
    }

    /** A sound made by sox ({@code synth} arguments), at 48 kHz. */
    private static AudioFrame sox(String... synth) throws Exception {
        Path file = Files.createTempFile("fastrtc-noise", ".wav");
        try {
            List<String> command = new java.util.ArrayList<>(List.of("sox", "-n", "-r", "48000", "-c", "1", "-b", "16",
                    file.toString(), "synth"));
            command.addAll(List.of(synth));
            Process sox = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assumeTrue(sox.waitFor(30, TimeUnit.SECONDS) && sox.exitValue() == 0, "sox is not installed");
            return Wav.read(file);
        } catch (java.io.IOException e) {
            assumeTrue(false, "sox is not installed");
            return null;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long loud(TestPeer peer, long fromNanos, long toNanos) {
        return peer.heard().stream().filter(h -> h.nanos() >= fromNanos && h.nanos() < toNanos && h.rms() > 1500)
                .count();
    }

    @Test
    void aQuestionIsAnsweredANoiseDoesNotCutTheAnswerSpeechDoesAndPlayedIsWhatTheCallerHeard() throws Exception {
        AudioFrame question = Speech.say("what will the weather be like tomorrow");
        AudioFrame interruption = Speech.say("wait a moment I have another question for you");
        // A short "yes" (its first 150 ms, which the detector hears as 120 ms of speech, under the 500 ms
        // that interrupt: it only holds the reply a moment), then a burst of sox noise.
        AudioFrame yes = Speech.say("yes");
        AudioFrame noise = yes.slice(0, yes.sampleRate() * 15 / 100).resample(48000)
                .concat(AudioFrame.silence(48000, 1, 300)).concat(sox("0.1", "pinknoise", "vol", "0.5"));
        AudioFrame chunk = tone(100);
        List<Duration> played = new CopyOnWriteArrayList<>();
        List<Boolean> cut = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> Reply.generate(out -> {
            try {
                for (int i = 0; i < 300; i++) { // 30 s
                    out.send(chunk);
                }
            } finally {
                played.add(out.played());
                cut.add(out.interrupted());
            }
        }))).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(io.fastrtc.testing.Clients.engine(), "caller").sendAudio()
                        .dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "caller").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(500);
            peer.say(question);
            List<String> logs = ReplyOnPauseConnectionTest.logs(peer, Duration.ofSeconds(20), "response_starting");
            assertThat(logs).containsExactly("started_talking", "pause_detected", "response_starting");
            long replyStart = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> loud(peer, replyStart, Long.MAX_VALUE) > 50);

            peer.say(noise);
            await().atMost(Duration.ofSeconds(5)).until(() -> !peer.speaking());
            long afterNoise = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> loud(peer, afterNoise, Long.MAX_VALUE) > 100);
            assertThat(ReplyOnPauseConnectionTest.logs(peer, Duration.ofMillis(300), "interrupted"))
                    .as("a short sound does not interrupt").doesNotContain("interrupted");
            assertThat(played).isEmpty();

            peer.say(interruption);
            assertThat(ReplyOnPauseConnectionTest.logs(peer, Duration.ofSeconds(10), "interrupted"))
                    .endsWith("interrupted");
            await().atMost(Duration.ofSeconds(5)).until(() -> !played.isEmpty());
            assertThat(cut.get(0)).isTrue();
            // What the caller heard of the reply, counted at the caller (10 ms frames), once what was
            // in flight has arrived.
            Thread.sleep(1000);
            long heardMillis = 10 * loud(peer, replyStart - 1_000_000_000L, Long.MAX_VALUE);
            long playedMillis = played.get(0).toMillis();
            assertThat(playedMillis).isGreaterThan(1000).isLessThan(30_000);
            // The producer ran up to 1 s ahead; played is what was heard, to within the client's buffering.
            assertThat(heardMillis).isBetween(playedMillis - 250, playedMillis + 400);
        }
    }
}
