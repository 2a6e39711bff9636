package io.fastrtc.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.CountingHandler;
import io.fastrtc.testing.EarlySubscriber;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web UI's {@code GET /outputs} as FastRTC's clients use it: subscribed before the connection
 * exists (FastRTC's {@code webrtc_vs_websocket} demo opens it right after its WebSocket), and opened
 * and closed again and again by a page.
 */
class OutputFeedRouteTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String ws(StreamServer server) {
        return server.baseUrl().replace("http:", "ws:") + "/websocket/offer";
    }

    private static CompletableFuture<HttpResponse<String>> get(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSubscriberThatComesBeforeItsConnectionGetsItsOutputs() throws Exception {
        Stream stream = Stream.builder().audio(new CountingHandler()).build();
        try (StreamServer server = StreamServer.startWithUi(stream)) {
            EarlySubscriber.open(server.url("/ui/outputs?webrtc_id=early-1")).connectAndHear(ws(server), "early-1");
        }
    }

    @Test
    void anEarlySubscriberIsStillCheckedAgainstTheConnectionsOwner() throws Exception {
        Stream stream = Stream.builder().audio(new CountingHandler()).build();
        try (StreamServer server = StreamServer.startWithUi(stream)) {
            CompletableFuture<HttpResponse<String>> stranger = get(server.url("/ui/outputs?webrtc_id=owned-1"),
                    "Cookie", "fastrtc_client=AAAAAAAAAAAAAAAAAAAAAA");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !stranger.isDone());
            try (SocketCaller caller = SocketCaller.fastrtc(ws(server), 16000, 16000)) {
                caller.say(CountingHandler.tone());
                caller.start("owned-1", Map.of());
                HttpResponse<String> refused = stranger.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(refused.statusCode()).isEqualTo(404);
                assertThat(refused.body()).contains("unknown_connection").doesNotContain("heard");
            }
        }
    }

    @Test
    void anIdThatNeverConnectsIsUnknownOnceTheConnectTimeoutHasPassed() throws Exception {
        Stream stream = Stream.builder().audio(new CountingHandler()).connectTimeout(Duration.ofSeconds(1)).build();
        try (StreamServer server = StreamServer.startWithUi(stream)) {
            long start = System.nanoTime();
            HttpResponse<String> never = get(server.url("/ui/outputs?webrtc_id=never-1")).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            assertThat(never.statusCode()).isEqualTo(404);
            assertThat(never.body()).contains("unknown_connection");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the connection")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void waitingSubscribersAreCappedAndLeaveWithTheirTimeout() throws Exception {
        Stream stream = Stream.builder().audio(new CountingHandler()).connectTimeout(Duration.ofSeconds(4))
                .limits(Limits.DEFAULT.withOutputListenersPerConnection(2)).build();
        try (StreamServer server = StreamServer.startWithUi(stream)) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                // as many per id as a connection may have listeners, then one more id
                waiting.add(get(server.url("/ui/outputs?webrtc_id=pending-" + i / 2)));
            }
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> waiting.stream().noneMatch(CompletableFuture::isDone));

            HttpResponse<String> thirdForOneId = get(server.url("/ui/outputs?webrtc_id=pending-0")).get(2, TimeUnit.SECONDS);
            assertThat(thirdForOneId.statusCode()).isEqualTo(429);
            assertThat(thirdForOneId.body()).contains("too_many_listeners");
            HttpResponse<String> overCap = get(server.url("/ui/outputs?webrtc_id=one-too-many")).get(2, TimeUnit.SECONDS);
            assertThat(overCap.statusCode()).as("answered at once, not kept waiting").isEqualTo(404);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);

            for (CompletableFuture<HttpResponse<String>> w : waiting) {
                assertThat(w.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(404);
            }
            // the places are free again
            EarlySubscriber.open(server.url("/ui/outputs?webrtc_id=later-1")).connectAndHear(ws(server), "later-1");
        }
    }

    @Test
    void aClosedFeedOfAQuietConnectionFreesItsPlaceForTheNextOne() throws Exception {
        // Nothing is published, so only a keep-alive could show that a page has gone.
        Stream stream = Stream.builder().audio(new EchoHandler(16000)).build();
        try (StreamServer server = StreamServer.startWithUi(stream);
                SocketCaller caller = SocketCaller.fastrtc(ws(server), 16000, 16000)) {
            caller.start("reopen-1", Map.of());
            await().atMost(WAIT).until(() -> stream.connectionIds().contains("reopen-1"));
            int limit = Limits.DEFAULT.outputListenersPerConnection();
            for (int i = 0; i < 3 * limit; i++) {
                EventStream events = EventStream.open(server.url("/ui/outputs?webrtc_id=reopen-1"));
                assertThat(events.status()).as("feed %d, with %d closed before it", i + 1, i).isEqualTo(200);
                events.close();
            }
        }
    }
}
