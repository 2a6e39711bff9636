package io.fastrtc.testing;

import io.fastrtc.engine.RtcEngine;
import java.time.Duration;

/**
 * A client in its own process, for a client that vanishes: it connects (video and a data
 * channel), prints {@code connected}, and waits to be killed, so it never closes anything.
 * Arguments: the offer URL and the webrtc_id.
 */
public final class VanishingPeer {

    private VanishingPeer() {
    }

    public static void main(String[] args) throws Exception {
        RtcEngine engine = RtcEngine.create();
        TestPeer peer = new TestPeer(engine, args[1]).sendVideo(10, n -> Patterns.verticalRamp(64, 48))
                .dataChannel("text");
        Signaling.Reply reply = Signaling.connect(peer, args[0], args[1]);
        if (!reply.isAnswer() || !peer.awaitConnected(Duration.ofSeconds(20))) {
            System.out.println("failed " + reply);
            System.exit(1);
        }
        System.out.println("connected");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts one in a child JVM (inside this JVM's network namespace) and waits until it is connected. */
    public static Process start(String offerUrl, String webrtcId) throws java.io.IOException {
        return ChildJvm.start(VanishingPeer.class, "128m", "connected", Duration.ofSeconds(60), offerUrl, webrtcId)
                .process();
    }
}
