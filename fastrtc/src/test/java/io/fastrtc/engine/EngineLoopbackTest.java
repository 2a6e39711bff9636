package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.ice.IceConfig;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.video.VideoFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EngineLoopbackTest {

    @Test
    void serverSessionEchoesFlippedVideoToAClientPeer() throws Exception {
        try (RtcEngine serverEngine = RtcEngine.create(); RtcEngine clientEngine = RtcEngine.create()) {
            AtomicReference<VideoOutput> out = new AtomicReference<>();
            PeerSession server = serverEngine.newSession("server", IceConfig.DEFAULT, new PeerSession.Listener() {
                @Override
                public void onVideoTrack(VideoInput input) {
                    Thread t = new Thread(() -> {
                        try {
                            while (true) {
                                VideoFrame f = input.take(100, TimeUnit.MILLISECONDS);
                                if (f != null) {
                                    out.get().push(f.flipVertical());
                                }
                            }
                        } catch (InterruptedException e) {
                            // done
                        }
                    });
                    t.setDaemon(true);
                    t.start();
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
            } finally {
                server.close();
            }
        }
    }
}
