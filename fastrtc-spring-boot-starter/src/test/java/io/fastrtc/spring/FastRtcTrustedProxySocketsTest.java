package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.stream.Stream;
import io.fastrtc.testing.SocketCaller;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Behind a proxy named in {@code fastrtc.trusted-proxies}, the proxy's {@code X-Forwarded-Host} is
 * the server's own host for a socket's {@code Origin}; {@link FastRtcSocketsTest} checks that the
 * same headers from anyone else are refused.
 */
@SpringBootTest(classes = FastRtcSocketsTest.EchoApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fastrtc.path=/api", "fastrtc.trusted-proxies=127.0.0.1"})
class FastRtcTrustedProxySocketsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    Stream stream;

    @Test
    void aTrustedProxysForwardedHostIsTheServersOwn() throws Exception {
        String url = "ws://127.0.0.1:" + port + "/api/websocket/offer";
        try (SocketCaller proxied = SocketCaller.fastrtc(url, FastRtcSocketsTest.FORGED, 16000, 24000);
                SocketCaller other = SocketCaller.fastrtc(url, Map.of("Origin", "https://elsewhere.example.com",
                        "X-Forwarded-Host", "voice.example.com"), 16000, 24000)) {
            proxied.start("proxied", Map.of());
            await().atMost(WAIT).until(() -> stream.connectionIds().contains("proxied"));
            assertThat(other.awaitClosed(WAIT).code()).as("the proxy's host is not the origin's").isEqualTo(1008);
            proxied.stop();
            assertThat(proxied.awaitClosed(WAIT).code()).isEqualTo(1000);
        }
        await().atMost(WAIT).until(() -> stream.connectionIds().isEmpty());
    }
}
