package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.credentials.CoturnSecret;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.ice.IceServer;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.javalin.FastRtcPlugin;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code GET {path}/webrtc/rtc-configuration}: the client-side ICE configuration for front ends. */
class RtcConfigurationRouteTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(Stream stream, String mountPath, String route) throws Exception {
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = mountPath)));
        app.start("127.0.0.1", 0);
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + route)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            app.stop();
            stream.close();
        }
    }

    static Stream stream(Consumer<Stream.Builder> config) {
        Stream.Builder builder = Stream.builder().video((frame, inputs) -> frame);
        config.accept(builder);
        return builder.build();
    }

    @Test
    void withoutConfigurationClientsGetNoIceServers() throws Exception {
        Stream stream = stream(b -> { });
        assertThat(stream.rtcConfiguration()).isEqualTo(RtcConfiguration.NONE);
        HttpResponse<String> response = get(stream, "", "/webrtc/rtc-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.body()).isEqualTo("{\"iceServers\":[],\"iceTransportPolicy\":\"all\"}");
    }

    @Test
    void aFixedConfigurationIsServedUnderTheMountPath() throws Exception {
        RtcConfiguration config = RtcConfiguration.of(IceServer.of("turn:t.example.net:3478", "u", "c"))
                .withIceTransportPolicy(IceConfig.TransportPolicy.RELAY);
        HttpResponse<String> response = get(stream(b -> b.rtcConfiguration(config)), "/api",
                "/api/webrtc/rtc-configuration");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(RtcConfiguration.fromJson(response.body())).isEqualTo(config);
    }

    @Test
    void aProviderIsCalledForEveryRequest() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CoturnSecret turn = CoturnSecret.of("secret", "turn:t.example.net:3478");
        Stream stream = stream(b -> b.rtcConfiguration(() -> turn.credentials("client-" + calls.incrementAndGet(),
                Duration.ofMinutes(10))));
        assertThat(stream.rtcConfiguration().iceServers().get(0).username()).endsWith(":client-1");
        assertThat(stream.rtcConfiguration().iceServers().get(0).username()).endsWith(":client-2");
        HttpResponse<String> response = get(stream, "/", "/webrtc/rtc-configuration");
        assertThat(RtcConfiguration.fromJson(response.body()).iceServers().get(0).username()).endsWith(":client-3");

        Stream viaMethodReference = stream(b -> b.rtcConfiguration(turn::fetch));
        assertThat(viaMethodReference.rtcConfiguration().iceServers().get(0).username()).endsWith(":fastrtc");
        viaMethodReference.close();
    }

    @Test
    void aFailingProviderGivesHttp500InFastRtcsShapeWithoutItsMessage() throws Exception {
        // Credential helpers' messages name internal URLs and the TURN service's answer: log only.
        Stream stream = stream(b -> b.rtcConfiguration(() -> {
            throw new IllegalStateException("https://turn.internal:8443/credentials answered 401: key abc");
        }));
        HttpResponse<String> response = get(stream, "", "/webrtc/rtc-configuration");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body())
                .matches("\\{\"error\":\"the ICE configuration is not available right now \\(error id [0-9a-f]{8}\\)\"}");

        HttpResponse<String> nullReply = get(stream(b -> b.rtcConfiguration(() -> null)), "",
                "/webrtc/rtc-configuration");
        assertThat(nullReply.statusCode()).isEqualTo(500);
        assertThat(nullReply.body()).doesNotContain("provider returned null");
    }

    @Test
    void anAuthorizerGuardsTheRoute() throws Exception {
        Stream stream = stream(b -> b.authorizer(request -> {
            throw io.fastrtc.security.AccessDenied.unauthorized("sign in to get TURN credentials");
        }));
        HttpResponse<String> response = get(stream, "", "/webrtc/rtc-configuration");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"sign in to get TURN credentials\"}");
    }
}
