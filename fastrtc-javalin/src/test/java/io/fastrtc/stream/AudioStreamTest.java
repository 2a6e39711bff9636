package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.WebRtcError;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AudioStreamTest {

    static final RtcEngine clients = Clients.engine();

    static AudioFrame tone(int hz, int millis, int rate) {
        float[] s = new float[rate * millis / 1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return AudioFrame.ofFloat(rate, 1, s);
    }

    @Test
    void echoesAudioInTheHandlersFormatAndInRealTime() throws Exception {
        EchoHandler prototype = new EchoHandler(16000);
        Stream stream = Stream.builder().audio(prototype).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "talker").sendAudio().dataChannel("text")) {
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), "talker");
            assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
            assertThat(reply.json().get("sdp").asText()).contains("m=audio").doesNotContain("m=video");
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            Thread.sleep(300);
            peer.say(tone(440, 600, 48000));
            await().atMost(Duration.ofSeconds(10)).until(() -> loudFrames(peer) >= 30);
            assertThat(prototype.copies().get(0).formats()).contains("16000/1/320");
        }
    }

    @Test
    void bothSidesSendTenMillisecondAudioPackets() throws Exception {
        Stream stream = Stream.builder().audio(new EchoHandler(16000)).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "packets").sendAudio().dataChannel("text")) {
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), "packets");
            assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
            // The client's encoder (a browser's too) packs what the answer's ptime says.
            assertThat(reply.json().get("sdp").asText()).contains("a=ptime:10");
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            peer.say(tone(440, 600, 48000));
            await().atMost(Duration.ofSeconds(10)).until(() -> loudFrames(peer) >= 30);
            io.fastrtc.engine.AudioReception before = peer.audioReception();
            Thread.sleep(1000); // the reply's end and the silence the track carries after it
            io.fastrtc.engine.AudioReception window = peer.audioReception().since(before);
            // The server's encoder packs what the offer it applied says: 480 samples at 48 kHz (960 at 20 ms).
            assertThat(window.jitterBufferEmitted() / window.packetsReceived())
                    .as("samples per packet").isBetween(400.0, 560.0);
        }
    }

    static long loudFrames(TestPeer peer) {
        return peer.heard().stream().filter(h -> h.rms() > 2000).count();
    }

    @Test
    void receiveModePlaysAGeneratorAndEndsWithIt() throws Exception {
        Stream stream = Stream.builder()
                .audioGenerator(in -> List.<Emit>of(tone(440, 500, 24000), AdditionalOutputs.of("half"),
                        tone(660, 500, 24000)).iterator())
                .build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "listener").receiveAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "listener").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            assertThat(peer.awaitMessage("fetch_output", Duration.ofSeconds(10))).isNotNull();
            assertThat(peer.awaitMessage("end_stream", Duration.ofSeconds(10))).isNotNull();
            // About a second of tone arrived before the end (not all at once, not cut short).
            assertThat(loudFrames(peer)).isBetween(60L, 110L);
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void aTrackGetsSilenceWhileThereIsNothingToPlay() throws Exception {
        // A reply, then a handler with nothing to say for a while (thinking, or between two replies).
        Stream stream = Stream.builder().audioGenerator(in -> new java.util.Iterator<Emit>() {
            private int item;

            @Override
            public boolean hasNext() {
                return item < 2;
            }

            @Override
            public Emit next() {
                if (item++ == 1) {
                    try {
                        Thread.sleep(6000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return tone(440, 300, 24000);
            }
        }).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "waiting").receiveAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "waiting").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> loudFrames(peer) >= 20);
            Thread.sleep(1000); // past any short tail of silence
            io.fastrtc.engine.AudioReception before = peer.audioReception();
            Thread.sleep(2000);
            // Packets kept coming: a track that went quiet mid-conversation and came back would look to
            // the client's jitter buffer like packets that late, and it would buffer that much more from then on.
            // (Without packets the client's decoder makes up the samples: counted received, not emitted by the buffer.)
            assertThat(peer.audioReception().since(before).jitterBufferEmitted())
                    .as("samples that came in packets in 2 s of nothing to play").isGreaterThan(48000.0);
        }
    }

    @Test
    void aFailingHandlerKeepsTheConnectionAndItsOutputAlive() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        StreamHandler flaky = new EchoHandler() {
            @Override
            protected void inspect(AudioFrame frame) {
                int n = calls.incrementAndGet();
                if (n % 7 == 0) { // errors pass once a second: the first, then one of the later ones
                    throw n == 7 ? new WebRtcError("bad chunk") // meant for the user
                            : new NullPointerException("Cannot invoke \"String.length()\" because \"secret\" is null");
                }
            }

            @Override
            public StreamHandler copy() {
                return this;
            }
        };
        Stream stream = Stream.builder().audio(flaky).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "flaky").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "flaky").isAnswer()).isTrue();
            List<String> seen = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < end && !(seen.stream().anyMatch(m -> m.contains("bad chunk"))
                    && seen.stream().anyMatch(m -> m.contains("error id")))) {
                String m = peer.nextMessage(Duration.ofMillis(200));
                if (m != null) {
                    seen.add(m);
                }
            }
            assertThat(seen).anyMatch(m -> m.startsWith("{\"type\":\"error\",\"message\":\"bad chunk"));
            assertThat(seen).anyMatch(m -> m.matches("\\{\"type\":\"error\",\"message\":\"the handler failed"
                    + " \\(error id [0-9a-f]{8}\\).*"));
            assertThat(seen).noneMatch(m -> m.contains("secret") || m.contains("String.length"));
            peer.say(tone(440, 800, 48000));
            await().atMost(Duration.ofSeconds(10)).until(() -> loudFrames(peer) >= 30);
        }
    }

    @Test
    void audioBuilderChecks() {
        assertThatThrownBy(() -> Stream.builder().mode(Mode.RECEIVE).audio(new EchoHandler()).build())
                .hasMessageContaining("audioGenerator");
        assertThatThrownBy(() -> new StreamHandler(16000, Layout.MONO, 22049) {
            @Override
            public void receive(AudioFrame frame) {
            }

            @Override
            public Emit emit() {
                return null;
            }

            @Override
            public StreamHandler copy() {
                return this;
            }
        }).hasMessage("output_sample_rate must be a multiple of 50, got 22049");
        assertThatThrownBy(() -> Stream.builder().audio(new EchoHandler()).video((f, in) -> f).build())
                .hasMessageContaining("one handler");
    }
}
