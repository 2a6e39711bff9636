package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.AudioClient;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Interruption#DEFAULTS} as callers hear it, over WebRTC, a WebSocket and a phone call, with
 * a {@code new ReplyOnPause(fn)}: an "uh-huh" over a reply (espeak-ng's: 360 ms of speech for the
 * detector, over the 250 ms that cut a reply before, under the 500 ms that cut one now) holds the
 * reply, which goes on and is heard to its end, nothing lost; a sentence over the next reply cuts
 * it, and its producer learns how much of it the caller heard.
 */
class DefaultInterruptionConnectionTest {

    /** The first reply: 4 s of tone in 100 ms items. */
    private static final int FIRST_REPLY_MS = 4000;
    private static AudioFrame question;
    private static AudioFrame backchannel;
    private static AudioFrame interruption;

    @BeforeAll
    static void speech() throws Exception {
        question = Speech.say("what will the weather be like tomorrow");
        backchannel = Speech.say("uh huh", 150);
        interruption = Speech.say("wait a moment I have another question for you");
    }

    /** Replies with a tone, 4 s the first time and 30 s after; notes what each producer saw when it ended. */
    private static final class Agent {
        final List<Duration> played = new CopyOnWriteArrayList<>();
        final List<Boolean> cut = new CopyOnWriteArrayList<>();
        private final AtomicInteger replies = new AtomicInteger();

        ReplyOnPause handler() {
            AudioFrame chunk = StreamingTurnsConnectionTest.tone(100);
            return new ReplyOnPause(audio -> {
                int items = replies.getAndIncrement() == 0 ? FIRST_REPLY_MS / 100 : 300;
                return Reply.generate(out -> {
                    try {
                        for (int i = 0; i < items; i++) {
                            out.send(chunk);
                        }
                    } finally {
                        played.add(out.played());
                        cut.add(out.interrupted());
                    }
                });
            });
        }
    }

    private static List<Long> loudSince(AudioClient caller, long fromNanos) {
        return caller.heard().stream().filter(h -> h.nanos() >= fromNanos && h.rms() > 1500)
                .map(TestPeer.Heard::nanos).toList();
    }

    /** Says {@code audio} and waits until the microphone has sent all of it; returns when it began. */
    private static long sayWhole(AudioClient caller, AudioFrame audio) {
        long before = caller.speechEndedNanos();
        caller.say(audio);
        await().atMost(Duration.ofSeconds(20)).until(() -> caller.speechEndedNanos() != before);
        return caller.speechStartedNanos();
    }

    /** The longest time between two of these 10 ms frames of reply, in ms. */
    private static long longestGapMillis(List<Long> loud) {
        long gap = 0;
        for (int i = 1; i < loud.size(); i++) {
            gap = Math.max(gap, loud.get(i) - loud.get(i - 1));
        }
        return gap / 1_000_000;
    }

    /**
     * The whole scenario with {@code caller}, whose session has started (see the class comment); a
     * socket caller's media are counted too, at {@code speakerRate}.
     */
    private static void holdThenCut(AudioClient caller, Agent agent, int speakerRate) throws Exception {
        Thread.sleep(500);
        sayWhole(caller, question);
        long asked = caller.speechEndedNanos();
        await().atMost(Duration.ofSeconds(20)).until(() -> loudSince(caller, asked).size() >= 50);

        long soundStart = sayWhole(caller, backchannel);
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.cut.size() == 1);
        assertThat(agent.cut.get(0)).as("the backchannel did not interrupt the reply").isFalse();
        // All of it is heard: what played before the sound, then the rest after the hold.
        await().atMost(Duration.ofSeconds(10)).until(() -> loudSince(caller, asked).size() >= FIRST_REPLY_MS / 10 - 25);
        Thread.sleep(500);
        List<Long> first = loudSince(caller, asked);
        assertThat(first.size() * 10).as("reply heard, ms").isBetween(FIRST_REPLY_MS - 250, FIRST_REPLY_MS + 250);
        assertThat(longestGapMillis(loudSince(caller, soundStart)))
                .as("the reply went quiet over the sound and came back").isGreaterThanOrEqualTo(100);
        if (caller instanceof SocketCaller socket) {
            double received = socket.media().stream().mapToInt(SocketCaller.Media::samples).sum() * 1000.0 / speakerRate;
            assertThat(received).as("reply received, ms").isBetween(FIRST_REPLY_MS - 20.0, FIRST_REPLY_MS + 20.0);
        }

        sayWhole(caller, question);
        long askedAgain = caller.speechEndedNanos();
        await().atMost(Duration.ofSeconds(20)).until(() -> loudSince(caller, askedAgain).size() >= 100);
        caller.say(interruption);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.cut.size() == 2);
        assertThat(agent.cut.get(1)).as("the sentence interrupted the reply").isTrue();
        Thread.sleep(1000); // what was in flight arrives
        long heardMillis = 10L * loudSince(caller, askedAgain).size();
        long playedMillis = agent.played.get(1).toMillis();
        assertThat(playedMillis).isGreaterThan(900).isLessThan(30_000);
        // played() is what the caller heard, to within the client's buffering and 10 ms frames.
        assertThat(heardMillis).isBetween(playedMillis - 250, playedMillis + 400);
    }

    @Test
    void overWebRtc() throws Exception {
        Agent agent = new Agent();
        Stream stream = Stream.builder().audio(agent.handler()).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(Clients.engine(), "backchannel").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "backchannel").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            holdThenCut(peer, agent, 0);
        }
    }

    @Test
    void overAWebSocket() throws Exception {
        overASocket("/websocket/offer", url -> SocketCaller.fastrtc(url, 48000, 24000), "ws-backchannel", 24000);
    }

    @Test
    void overAPhoneCall() throws Exception {
        overASocket("/telephone/handler", url -> SocketCaller.twilio(url, Map.of()), "MZ0123456789abcdef0123456789abcdef",
                8000);
    }

    /** Opens a socket caller on a route's URL. */
    private interface Dialler {
        SocketCaller call(String url) throws Exception;
    }

    private static void overASocket(String route, Dialler dialler, String id, int speakerRate) throws Exception {
        Agent agent = new Agent();
        Stream stream = Stream.builder().audio(agent.handler()).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = dialler.call(server.baseUrl().replace("http:", "ws:") + route)) {
            caller.start(id, Map.of());
            holdThenCut(caller, agent, speakerRate);
        }
    }
}
