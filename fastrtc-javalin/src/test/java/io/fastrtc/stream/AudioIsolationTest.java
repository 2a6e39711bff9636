package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.handler.Emit;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The engine's audio workarounds: callers never hear each other, and a server that only receives
 * audio still gets it after the last audio sender of the process has gone.
 */
class AudioIsolationTest {

    static final RtcEngine clients = Clients.engine();

    /** Goertzel power of {@code hz} in the peer's received audio since {@code since}. */
    static double power(TestPeer peer, double hz, long since) {
        double total = 0;
        for (TestPeer.Heard h : peer.heard()) {
            if (h.nanos() < since) {
                continue;
            }
            short[] s = h.frame().toPcm16();
            double w = 2 * Math.PI * hz / h.frame().sampleRate();
            double coeff = 2 * Math.cos(w);
            double q1 = 0;
            double q2 = 0;
            for (int i = 0; i < s.length; i++) {
                // Hann window: without it, spectral leakage alone puts the other tone near -28 dB.
                double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (s.length - 1));
                double q0 = coeff * q1 - q2 + s[i] * hann;
                q2 = q1;
                q1 = q0;
            }
            total += q1 * q1 + q2 * q2 - coeff * q1 * q2;
        }
        return total;
    }

    @Test
    void callersHearOnlyTheirOwnAudio() throws Exception {
        Stream stream = Stream.builder().audio(new EchoHandler()).concurrencyLimit(2).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer low = new TestPeer(clients, "low").sendAudio().dataChannel("text");
                TestPeer high = new TestPeer(clients, "high").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(low, server.offerUrl(), "low").isAnswer()).isTrue();
            assertThat(Signaling.connect(high, server.offerUrl(), "high").isAnswer()).isTrue();
            assertThat(low.awaitConnected(Duration.ofSeconds(10)) && high.awaitConnected(Duration.ofSeconds(10)))
                    .isTrue();
            Thread.sleep(500);
            long since = System.nanoTime();
            low.say(AudioStreamTest.tone(440, 3000, 48000));
            high.say(AudioStreamTest.tone(1300, 3000, 48000));
            Thread.sleep(3500);
            double lowOwn = power(low, 440, since);
            double lowOther = power(low, 1300, since);
            double highOwn = power(high, 1300, since);
            double highOther = power(high, 440, since);
            assertThat(lowOwn).isGreaterThan(0);
            // Cross-talk at least 30 dB below the caller's own echo (the probe saw -57 dB when
            // correct and +45 dB with the wrong start-up order).
            assertThat(10 * Math.log10(lowOther / lowOwn)).isLessThan(-30);
            assertThat(10 * Math.log10(highOther / highOwn)).isLessThan(-30);
        }
    }

    @Test
    void aSendOnlyAudioStreamHearsItsCallerAfterEveryAudioSenderHasGone() throws Exception {
        AtomicLong loudFrames = new AtomicLong();
        StreamHandler listener = new StreamHandler() {
            @Override
            public void receive(AudioFrame frame) {
                short[] s = frame.toPcm16();
                double sum = 0;
                for (short v : s) {
                    sum += (double) v * v;
                }
                if (Math.sqrt(sum / s.length) > 2000) {
                    loudFrames.incrementAndGet();
                }
            }

            @Override
            public Emit emit() {
                return null;
            }

            @Override
            public StreamHandler copy() {
                return this;
            }
        };
        // First a send-receive call that comes and goes: libwebrtc stops its audio pump then.
        Stream echo = Stream.builder().audio(new EchoHandler()).build();
        try (StreamServer server = StreamServer.start(echo);
                TestPeer peer = new TestPeer(clients, "before").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "before").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
        }
        Stream transcriber = Stream.builder().audio(listener).mode(Mode.SEND).build();
        try (StreamServer server = StreamServer.start(transcriber);
                TestPeer peer = new TestPeer(clients, "dictating").sendAudio().dataChannel("text")) {
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), "dictating");
            assertThat(reply.json().get("sdp").asText()).contains("a=recvonly");
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            peer.say(AudioStreamTest.tone(440, 1000, 48000));
            await().atMost(Duration.ofSeconds(10)).until(() -> loudFrames.get() >= 25);
        }
    }
}
