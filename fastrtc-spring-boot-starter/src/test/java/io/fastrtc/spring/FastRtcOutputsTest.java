package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.security.Limits;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.CountingHandler;
import io.fastrtc.testing.EarlySubscriber;
import io.fastrtc.testing.EventStream;
import io.fastrtc.testing.SocketCaller;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The web UI's {@code GET /outputs} on Spring's server, as FastRTC's clients use it: subscribed
 * before the WebSocket's connection exists, and opened and closed again and again by a page.
 */
@SpringBootTest(classes = FastRtcOutputsTest.CountingApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "fastrtc.connect-timeout=3s")
class FastRtcOutputsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** An audio stream whose handler reports, as additional outputs, how much it has heard. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CountingApp {
        @Bean
        Stream stream(Stream.Builder fastrtc) {
            return fastrtc.audio(new CountingHandler()).build();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Stream stream;

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private SocketCaller caller() throws Exception {
        return SocketCaller.fastrtc("ws://127.0.0.1:" + port + "/websocket/offer", 16000, 16000);
    }

    @AfterEach
    void sessionsEnd() {
        await().atMost(WAIT).until(() -> stream.connectionIds().isEmpty());
    }

    @Test
    void aSubscriberThatComesBeforeItsConnectionGetsItsOutputs() throws Exception {
        EarlySubscriber.open(url("/ui/outputs?webrtc_id=early-1")).connectAndHear(
                "ws://127.0.0.1:" + port + "/websocket/offer", "early-1");
    }

    @Test
    void anIdThatNeverConnectsIsUnknownOnceTheConnectTimeoutHasPassed() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> never = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url("/ui/outputs?webrtc_id=never-1"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(never.statusCode()).isEqualTo(404);
        assertThat(never.body()).contains("unknown_connection");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aClosedFeedOfAQuietConnectionFreesItsPlaceForTheNextOne() throws Exception {
        try (SocketCaller caller = caller()) {
            // silence: nothing published, so only a keep-alive can show that a page has gone
            caller.start("reopen-1", Map.of());
            await().atMost(WAIT).until(() -> stream.connectionIds().contains("reopen-1"));
            int limit = Limits.DEFAULT.outputListenersPerConnection();
            for (int i = 0; i < 3 * limit; i++) {
                EventStream events = EventStream.open(url("/ui/outputs?webrtc_id=reopen-1"));
                assertThat(events.status()).as("feed %d, with %d closed before it", i + 1, i).isEqualTo(200);
                events.close();
            }
            caller.stop();
        }
    }
}
