package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.security.Request;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.transport.SocketPeer;
import io.fastrtc.transport.SocketSession;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class FastRtcHealthIndicatorTest {

    private static final SocketPeer SILENT = new SocketPeer() {
        @Override
        public void send(String text) {
        }

        @Override
        public void close(int code, String reason) {
        }
    };

    @Test
    void upWithRoomOutOfServiceWhenFullDownWhenClosed() {
        FastRtc runtime = FastRtc.builder().maxTotalConnections(1).build();
        FastRtcHealthIndicator indicator = new FastRtcHealthIndicator(runtime);
        Health empty = indicator.health();
        assertThat(empty.getStatus()).isEqualTo(Status.UP);
        assertThat(empty.getDetails()).containsEntry("capacityLeft", 1).containsEntry("openSessions", 0);

        Stream stream = Stream.builder().runtime(runtime).audio(new EchoHandler(16000)).build();
        SocketSession socket = stream.openWebSocket(SILENT, Request.NONE);
        socket.onText("{\"event\":\"start\",\"websocket_id\":\"health\"}");
        Health full = indicator.health();
        assertThat(full.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(full.getDetails()).containsEntry("capacityLeft", 0).containsEntry("openSessions", 1);

        runtime.close();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    }
}
