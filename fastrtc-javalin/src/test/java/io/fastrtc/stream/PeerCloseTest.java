package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a client's way of leaving, or of not really arriving, costs the stream: its slot, for how long. */
class PeerCloseTest {

    static final RtcEngine clients = Clients.engine();

    /** A camera without a data channel: only the peer connection itself can say it closed. */
    private static TestPeer camera(String name) {
        return new TestPeer(clients, name).sendVideo(15, n -> Patterns.verticalRamp(160, 120));
    }

    @Test
    void aClientWithoutDataChannelThatClosesCleanlyFreesItsSlotAtOnce() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).concurrencyLimit(1).build();
        try (StreamServer server = StreamServer.start(stream)) {
            TestPeer first = camera("first");
            assertThat(Signaling.connect(first, server.offerUrl(), "first").isAnswer()).isTrue();
            assertThat(first.awaitConnected(Duration.ofSeconds(10))).isTrue();
            first.close(); // libwebrtc's pc.close(): a DTLS close_notify, as a browser or aiortc sends
            // The next offer waits at most Stream.ADMISSION_WAIT (1 s) for a slot; without seeing the
            // close, the slot stays held until ICE gives up (about 12.5 s) and this offer is refused.
            try (TestPeer second = camera("second")) {
                Signaling.Reply reply = Signaling.connect(second, server.offerUrl(), "second");
                assertThat(reply.isAnswer()).as(reply.toString()).isTrue();
                assertThat(second.awaitConnected(Duration.ofSeconds(10))).isTrue();
                assertThat(stream.connectionIds()).containsExactly("second");
            }
        }
    }

    @Test
    void anAnswerPostedAsAnOfferIsRefusedAndHoldsNoSlot() throws Exception {
        Stream stream = Stream.builder().video((f, in) -> f).concurrencyLimit(1).build();
        try (StreamServer server = StreamServer.start(stream); TestPeer offerer = camera("offerer");
                PeerSession answerer = clients.newSession("answerer", IceConfig.DEFAULT, new PeerSession.Listener() { })) {
            answerer.setRemoteDescription(true, offerer.offer());
            String answer = answerer.createAnswer();
            assertThat(answer).contains("a=setup:active");

            Signaling.Reply reply = Signaling.offer(server.offerUrl(), "confused", answer);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
            assertThat(reply.json().path("status").asText()).isEqualTo("failed");
            assertThat(reply.error()).isEqualTo("invalid_sdp");
            assertThat(reply.json().path("meta").path("message").asText()).contains("is an answer");
            assertThat(stream.connectionIds()).isEmpty();
            // The one slot is free for a real client right away, not after the 30 s connect timeout.
            try (TestPeer real = camera("real")) {
                assertThat(Signaling.connect(real, server.offerUrl(), "real").isAnswer()).isTrue();
            }
        }
    }
}
