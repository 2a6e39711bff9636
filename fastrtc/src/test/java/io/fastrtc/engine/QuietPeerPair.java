package io.fastrtc.engine;

import io.fastrtc.ice.IceConfig;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child JVM for {@link NativeOutputTest}: a server engine echoes H264 video to a client
 * peer of its own engine until the client has {@code args[0]} frames back, as a server would; then
 * it says so on both streams and exits with {@code System.exit}, as a server stopped by a signal
 * does (the server engine closed by a shutdown hook, as the default runtime's is).
 */
public final class QuietPeerPair {

    private QuietPeerPair() {
    }

    public static void main(String[] args) throws Exception {
        int frames = Integer.parseInt(args[0]);
        AtomicReference<VideoOutput> out = new AtomicReference<>();
        // As FastRtc.shared() does for a server: the engine is closed by a shutdown hook.
        RtcEngine serverEngine = RtcEngine.create();
        Runtime.getRuntime().addShutdownHook(new Thread(serverEngine::close, "server-engine-shutdown"));
        PeerSession server = serverEngine.newSession("server", IceConfig.DEFAULT, new PeerSession.Listener() {
            @Override
            public void onVideoTrack(VideoInput input) {
                EngineLoopbackTest.echo(input, out, frame -> frame);
            }
        });
        try (RtcEngine clientEngine = RtcEngine.create(); TestPeer client = new TestPeer(clientEngine, "client")) {
            client.sendVideo(30, n -> Patterns.verticalRamp(320, 240)).dataChannel("text");
            server.setRemoteDescription(true, Sdp.preferVideoCodec(client.offer(), "H264"));
            out.set(server.addVideoOutput("v", "v-server"));
            String answer = server.createAnswer();
            client.accept(answer);
            if (!client.awaitConnected(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the peers did not connect");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.framesReceived() < frames && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            System.out.println("echoed " + client.framesReceived() + " frames, H264 " + answer.contains("H264"));
            System.err.println("stderr still reaches the caller");
        }
        System.exit(0);
    }
}
