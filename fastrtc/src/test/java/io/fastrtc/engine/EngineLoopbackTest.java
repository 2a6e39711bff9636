package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.ice.IceConfig;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.video.VideoFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EngineLoopbackTest {

    @Test
    void serverSessionEchoesFlippedVideoToAClientPeer() throws Exception {
        try (RtcEngine serverEngine = RtcEngine.create(); RtcEngine clientEngine = RtcEngine.create()) {
            AtomicReference<VideoOutput> out = new AtomicReference<>();
            PeerSession server = serverEngine.newSession("server", IceConfig.DEFAULT, new PeerSession.Listener() {
                @Override
                public void onVideoTrack(VideoInput input) {
                    echo(input, out, VideoFrame::flipVertical);
                }
            });
            try (TestPeer client = new TestPeer(clientEngine, "client")) {
                client.sendVideo(30, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
                String offer = client.offer();
                server.setRemoteDescription(true, Sdp.preferVideoCodec(offer, "H264"));
                out.set(server.addVideoOutput("v", "v-server"));
                String answer = server.createAnswer();
                client.accept(answer);
                assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
                long deadline = System.currentTimeMillis() + 10_000;
                while (client.framesReceived() < 20 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(client.framesReceived()).isGreaterThanOrEqualTo(20);
                VideoFrame last = client.lastFrame();
                assertThat(last.width()).isEqualTo(320);
                assertThat(Patterns.rampError(last, true)).isLessThan(8);
                assertThat(Patterns.rampError(last, false)).isGreaterThan(40);
                assertThat(answer).contains("H264");
                assertThat(server.audioReception().get(5, TimeUnit.SECONDS)).as("no audio receiver").isNull();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void audioReceptionCountsWhatTheJitterBufferPlayed() throws Exception {
        try (RtcEngine serverEngine = RtcEngine.create(); RtcEngine clientEngine = RtcEngine.create()) {
            PeerSession server = serverEngine.newSession("server", IceConfig.DEFAULT, new PeerSession.Listener() { });
            try (TestPeer client = new TestPeer(clientEngine, "client")) {
                client.sendAudio().dataChannel("text");
                server.setRemoteDescription(true, client.offer());
                client.accept(server.createAnswer());
                assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> server.audioReception().get().samplesReceived() > 0);
                long started = System.nanoTime();
                AudioReception first = server.audioReception().get(5, TimeUnit.SECONDS);
                Thread.sleep(1000);
                AudioReception window = server.audioReception().get(5, TimeUnit.SECONDS).since(first);
                double seconds = (System.nanoTime() - started) / 1e9;

                // Played out at 48 kHz in real time: never more than the time allows, and not nothing.
                assertThat(window.samplesReceived()).isBetween(10_000.0, 48_000 * seconds + 4_800);
                assertThat(window.concealedSamples()).isBetween(0.0, window.samplesReceived());
                assertThat(window.jitterBufferEmitted()).isPositive();
                assertThat(window.meanJitterBufferMillis()).isBetween(0.0, 2000.0);
            } finally {
                server.close();
            }
        }
    }

    /** Sends every frame of {@code input}, changed by {@code change}, to {@code out}, on a daemon thread. */
    static void echo(VideoInput input, AtomicReference<VideoOutput> out, UnaryOperator<VideoFrame> change) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    VideoFrame f = input.take(100, TimeUnit.MILLISECONDS);
                    if (f != null) {
                        out.get().push(change.apply(f));
                    }
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
