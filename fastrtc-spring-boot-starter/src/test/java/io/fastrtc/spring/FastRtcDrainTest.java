package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.stream.FastRtc;
import io.fastrtc.testing.SocketCaller;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the Spring context drains the runtime first: readiness goes down, open sessions are told
 * and may finish while the web server still serves them, new ones are refused, the rest are closed
 * at {@code fastrtc.drain-timeout}, and only then does the context finish closing.
 */
class FastRtcDrainTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Test
    void closingTheContextDrainsBeforeTheServerStops() throws Exception {
        List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
        ApplicationListener<AvailabilityChangeEvent<?>> recorder = event -> {
            if (event.getState() instanceof ReadinessState state) {
                readiness.add(state);
            }
        };
        ConfigurableApplicationContext context = new SpringApplicationBuilder(FastRtcSocketsTest.EchoApp.class)
                .listeners(recorder).properties("server.port=0", "fastrtc.concurrency-limit=4",
                        "fastrtc.drain-timeout=" + DEADLINE.toSeconds() + "s", "spring.main.banner-mode=off").run();
        FastRtc runtime = context.getBean(FastRtc.class);
        ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
        String url = "ws://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/websocket/offer";
        try (SocketCaller stays = SocketCaller.fastrtc(url, 16000, 16000);
                SocketCaller leaves = SocketCaller.fastrtc(url, 16000, 16000)) {
            stays.start("stays", Map.of());
            leaves.start("leaves", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.openSessions() == 2);
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

            long started = System.nanoTime();
            CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);

            assertThat(stays.awaitMessage("draining", Duration.ofSeconds(5))).as("stays is told")
                    .contains("\"type\":\"warning\"").contains("\"seconds\":" + DEADLINE.toSeconds());
            assertThat(leaves.awaitMessage("draining", Duration.ofSeconds(5))).as("leaves is told").isNotNull();
            assertThat(readiness).contains(ReadinessState.REFUSING_TRAFFIC);
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);

            // The web server still runs: a new session reaches FastRTC and is refused with draining.
            try (SocketCaller late = SocketCaller.fastrtc(url, 16000, 16000)) {
                late.start("late", Map.of());
                assertThat(late.awaitMessage("\"failed\"", Duration.ofSeconds(5))).contains("\"error\":\"draining\"");
                assertThat(late.awaitClosed(Duration.ofSeconds(5)).code()).isEqualTo(1013);
            }
            // A session that ends by itself ends normally.
            leaves.stop();
            assertThat(leaves.awaitClosed(Duration.ofSeconds(5)).code()).isEqualTo(1000);
            assertThat(closed).as("the context waits for the drain").isNotDone();

            SocketCaller.Closed cut = stays.awaitClosed(DEADLINE.plusSeconds(10));
            assertThat(cut).isNotNull();
            assertThat(cut.code()).isEqualTo(1001);
            assertThat(cut.reason()).isEqualTo("draining");
            assertThat(cut.nanos() - started).isGreaterThan(DEADLINE.minusSeconds(1).toNanos());
            closed.get(20, TimeUnit.SECONDS);
            assertThat(runtime.isClosed()).isTrue();
        } finally {
            context.close();
        }
    }
}
