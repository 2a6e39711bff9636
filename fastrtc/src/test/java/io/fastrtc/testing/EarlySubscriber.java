package io.fastrtc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An outputs feed opened before its connection exists, as FastRTC's {@code webrtc_vs_websocket}
 * demo opens {@code GET /outputs} right after its WebSocket, before its {@code start} message.
 */
public final class EarlySubscriber {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final CompletableFuture<EventStream> events;

    private EarlySubscriber(CompletableFuture<EventStream> events) {
        this.events = events;
    }

    /** Opens the feed at {@code url} and checks that the server keeps it waiting (nothing answered for 500 ms). */
    public static EarlySubscriber open(String url) {
        EarlySubscriber early = new EarlySubscriber(CompletableFuture.supplyAsync(() -> {
            try {
                return EventStream.open(url);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        await("the subscriber waits for its connection").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2)).until(() -> !early.events.isDone());
        return early;
    }

    /** The feed, once the server has answered. */
    public EventStream events() throws Exception {
        return events.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Connects a FastRTC WebSocket client to {@code socketUrl} as {@code webrtcId}, saying a tone to a
     * {@link CountingHandler}, and checks that this feed opens and carries the handler's outputs.
     */
    public void connectAndHear(String socketUrl, String webrtcId) throws Exception {
        try (SocketCaller caller = SocketCaller.fastrtc(socketUrl, 16000, 16000)) {
            caller.say(CountingHandler.tone());
            caller.start(webrtcId, Map.of());
            try (EventStream feed = events()) {
                assertThat(feed.status()).isEqualTo(200);
                assertThat(feed.nextOutput(WAIT)).isNotNull();
                assertThat(feed.lastReading().asText()).startsWith("heard ");
            }
            caller.stop();
        }
    }
}
