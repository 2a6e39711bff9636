package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AsyncStreamHandler;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.AudioVideoStreamHandler;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Clients;
import io.fastrtc.handler.Emit;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.video.VideoFrame;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The asynchronous and audio-video handler forms, and a generator that fails midway. */
class HandlerFormsTest {

    static final RtcEngine clients = Clients.engine();

    static final class AsyncEcho extends AsyncStreamHandler {
        final ConcurrentLinkedQueue<AudioFrame> queue = new ConcurrentLinkedQueue<>();

        @Override
        public CompletionStage<Void> onReceive(AudioFrame frame) {
            return CompletableFuture.runAsync(() -> queue.add(frame));
        }

        @Override
        public CompletionStage<? extends Emit> onEmit() {
            return CompletableFuture.supplyAsync(queue::poll);
        }

        @Override
        public AsyncEcho copy() {
            return new AsyncEcho();
        }
    }

    @Test
    void anAsynchronousHandlerEchoes() throws Exception {
        Stream stream = Stream.builder().audio(new AsyncEcho()).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "async").sendAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "async").isAnswer()).isTrue();
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            peer.say(AudioStreamTest.tone(440, 600, 48000));
            await().atMost(Duration.ofSeconds(10)).until(() -> AudioStreamTest.loudFrames(peer) >= 30);
        }
    }

    /** Mirrors video from the latest received frame and echoes audio. */
    static final class Mirror extends AudioVideoStreamHandler {
        final ConcurrentLinkedQueue<AudioFrame> audio = new ConcurrentLinkedQueue<>();
        final AtomicReference<VideoFrame> latest = new AtomicReference<>();
        static final AtomicInteger VIDEO_IN = new AtomicInteger();

        @Override
        public void receive(AudioFrame frame) {
            audio.add(frame);
        }

        @Override
        public Emit emit() {
            return audio.poll();
        }

        @Override
        public void videoReceive(VideoFrame frame) {
            VIDEO_IN.incrementAndGet();
            latest.set(frame);
        }

        @Override
        public Emit videoEmit() {
            VideoFrame f = latest.get();
            return f == null ? null : f.flipVertical();
        }

        @Override
        public int fps() {
            return 15;
        }

        @Override
        public Mirror copy() {
            return new Mirror();
        }
    }

    @Test
    void anAudioVideoHandlerGetsBothAndSendsBoth() throws Exception {
        Stream stream = Stream.builder().audioVideo(new Mirror()).build();
        assertThat(stream.modality()).isEqualTo(Modality.AUDIO_VIDEO);
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "av").sendAudio()
                        .sendVideo(15, n -> Patterns.verticalRamp(160, 120)).dataChannel("text")) {
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), "av");
            assertThat(reply.json().get("sdp").asText()).contains("m=audio").contains("m=video");
            assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
            peer.say(AudioStreamTest.tone(440, 600, 48000));
            await().atMost(Duration.ofSeconds(10)).until(() -> peer.framesReceived() >= 10
                    && AudioStreamTest.loudFrames(peer) >= 30);
            assertThat(Patterns.rampError(peer.lastFrame(), true)).isLessThan(10);
            assertThat(Mirror.VIDEO_IN.get()).isPositive();
        }
    }

    @Test
    void aGeneratorThatFailsMidwayReportsItAndEndsTheStream() throws Exception {
        Stream stream = Stream.builder().audioGenerator(in -> new Iterator<Emit>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Emit next() {
                if (++n == 5) {
                    throw new IllegalStateException("source went away");
                }
                return AudioStreamTest.tone(440, 100, 24000);
            }
        }).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(clients, "gen").receiveAudio().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "gen").isAnswer()).isTrue();
            assertThat(peer.awaitMessage("\"error\"", Duration.ofSeconds(10))).contains("the handler failed (error id")
                    .doesNotContain("source went away");
            assertThat(peer.awaitMessage("end_stream", Duration.ofSeconds(10))).isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.connectionIds().isEmpty());
        }
    }
}
