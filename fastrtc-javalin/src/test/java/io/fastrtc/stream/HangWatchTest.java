package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AsyncStreamHandler;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.Emit;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Which handler calls the hang warning watches: those that take or give media, on both sides. */
class HangWatchTest {

    /** Receives at once; its emit blocks 2.5 s at a time, as a stuck model call would. */
    static final class SlowEmit extends StreamHandler {
        @Override
        public void receive(AudioFrame frame) {
        }

        @Override
        public Emit emit() throws InterruptedException {
            Thread.sleep(2500);
            return null;
        }

        @Override
        public StreamHandler copy() {
            return new SlowEmit();
        }
    }

    /** Idle: its output stage never completes, which an async handler's emit waits 60 s for. */
    static final class IdleAsync extends AsyncStreamHandler {
        @Override
        public CompletionStage<Void> onReceive(AudioFrame frame) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<? extends Emit> onEmit() {
            return new CompletableFuture<>();
        }

        @Override
        public IdleAsync copy() {
            return new IdleAsync();
        }
    }

    private static TestPeer connect(Stream stream, StreamServer server, String id) throws Exception {
        TestPeer peer = new TestPeer(Clients.engine(), id).sendAudio().dataChannel("text");
        assertThat(Signaling.connect(peer, server.offerUrl(), id).isAnswer()).isTrue();
        assertThat(peer.awaitConnected(Duration.ofSeconds(10))).isTrue();
        return peer;
    }

    @Test
    void anEmitThatDoesNotReturnIsReported() throws Exception {
        Stream stream = Stream.builder().audio(new SlowEmit()).hangWarning(Duration.ofSeconds(1)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = connect(stream, server, "slow-emit")) {
            assertThat(peer.awaitMessage("\"warning\"", Duration.ofSeconds(10)))
                    .isEqualTo("{\"type\":\"warning\",\"message\":\"The handler has not returned for 1 s\"}");
        }
    }

    @Test
    void anAsyncHandlerWaitingForOutputIsNotAHang() throws Exception {
        Stream stream = Stream.builder().audio(new IdleAsync()).hangWarning(Duration.ofSeconds(1)).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer peer = connect(stream, server, "idle-async")) {
            assertThat(peer.awaitMessage("\"warning\"", Duration.ofSeconds(4))).isNull();
        }
    }

    @Test
    void aGeneratorThatDoesNotYieldIsReported() throws Exception {
        Stream stream = Stream.builder().videoGenerator(in -> java.util.stream.Stream.iterate(0, n -> n + 1)
                .map(n -> {
                    if (n == 10) {
                        try {
                            Thread.sleep(2500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return Patterns.verticalRamp(160, 120);
                }).iterator()).fps(15).hangWarning(Duration.ofSeconds(1)).build();
        try (StreamServer server = StreamServer.start(stream);
                TestPeer peer = new TestPeer(Clients.engine(), "stuck-generator").receiveVideo().dataChannel("text")) {
            assertThat(Signaling.connect(peer, server.offerUrl(), "stuck-generator").isAnswer()).isTrue();
            assertThat(peer.awaitMessage("\"warning\"", Duration.ofSeconds(10))).contains("has not returned for 1 s");
        }
    }
}
