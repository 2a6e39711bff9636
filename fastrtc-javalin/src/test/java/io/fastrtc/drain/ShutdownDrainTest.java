package io.fastrtc.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.testing.ChildJvm;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.SocketCaller;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a real process: the runtime's shutdown hook drains it while Javalin keeps serving
 * (the probe answers 503, the open socket is told and then closed with {@code draining}), and the
 * process exits once the deadline passed, not before and not much after.
 */
class ShutdownDrainTest {

    private static final int DRAIN_SECONDS = 4;

    @Test
    void sigtermDrainsBeforeTheProcessExits() throws Exception {
        ChildJvm.Started child = ChildJvm.start(DrainApp.class, "256m", "listening ", Duration.ofSeconds(60),
                Integer.toString(DRAIN_SECONDS));
        Process process = child.process();
        String base = "http://127.0.0.1:" + child.readyLine().substring("listening ".length()).trim();
        try (SocketCaller caller = SocketCaller.fastrtc(base.replace("http:", "ws:") + "/websocket/offer", 48000,
                48000)) {
            caller.start("before-sigterm", Map.of());
            caller.send("{\"event\":\"ping\"}");
            assertThat(caller.awaitMessage("pong", Duration.ofSeconds(10))).as("the session started").isNotNull();
            assertThat(Signaling.get(base + "/health/ready").status()).isEqualTo(200);

            long signalled = System.nanoTime();
            process.destroy(); // SIGTERM
            String notice = caller.awaitMessage("draining", Duration.ofSeconds(10));
            assertThat(notice).as("the client is told").contains("\"seconds\":" + DRAIN_SECONDS);
            assertThat(Signaling.get(base + "/health/ready").status()).as("still serving, not ready").isEqualTo(503);
            assertThat(process.isAlive()).isTrue();

            SocketCaller.Closed closed = caller.awaitClosed(Duration.ofSeconds(DRAIN_SECONDS + 15));
            assertThat(closed).isNotNull();
            assertThat(closed.code()).isEqualTo(1001);
            assertThat(closed.reason()).isEqualTo("draining");
            assertThat(closed.nanos() - signalled).as("not before the deadline")
                    .isGreaterThan(TimeUnit.SECONDS.toNanos(DRAIN_SECONDS - 1));
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("the process exits after the drain").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(DRAIN_SECONDS + 15));
        } finally {
            process.destroyForcibly();
        }
    }
}
