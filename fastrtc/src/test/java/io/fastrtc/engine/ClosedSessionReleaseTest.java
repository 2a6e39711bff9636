package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.ice.IceConfig;
import io.fastrtc.testing.TestPeer;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A closed session must not stay reachable through native callbacks (webrtc-java keeps some for good). */
class ClosedSessionReleaseTest {

    @Test
    void closedSessionWithADataChannelCanBeCollected() throws Exception {
        try (RtcEngine serverEngine = RtcEngine.create(); RtcEngine clientEngine = RtcEngine.create()) {
            WeakReference<PeerSession.Listener> listener = connectAndClose(serverEngine, clientEngine);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return listener.get() == null;
            });
        }
    }

    /** A separate method, so no local variable of the test keeps the session or its listener alive. */
    private static WeakReference<PeerSession.Listener> connectAndClose(RtcEngine serverEngine, RtcEngine clientEngine)
            throws Exception {
        CompletableFuture<Void> serverChannelOpen = new CompletableFuture<>();
        PeerSession.Listener listener = new PeerSession.Listener() {
            @Override
            public void onDataChannelOpen(DataChannel channel) {
                serverChannelOpen.complete(null);
            }
        };
        PeerSession server = serverEngine.newSession("server", IceConfig.DEFAULT, listener);
        try (TestPeer client = new TestPeer(clientEngine, "client")) {
            client.dataChannel("text");
            server.setRemoteDescription(true, client.offer());
            client.accept(server.createAnswer());
            assertThat(client.awaitChannelOpen(Duration.ofSeconds(10))).isTrue();
            serverChannelOpen.get(10, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
        return new WeakReference<>(listener);
    }
}
