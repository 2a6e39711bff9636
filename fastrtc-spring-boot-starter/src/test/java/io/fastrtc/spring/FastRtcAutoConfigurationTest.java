package io.fastrtc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Authorizer;
import io.fastrtc.stream.Capacity;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.VideoCodec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/** Which beans the starter makes, and from which properties (no server, no peer). */
class FastRtcAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastRtcAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class OneStream {
        @Bean
        Stream stream(Stream.Builder fastrtc) {
            return fastrtc.video((frame, inputs) -> frame).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoStreams {
        @Bean
        Stream a(Stream.Builder fastrtc) {
            return fastrtc.video((frame, inputs) -> frame).build();
        }

        @Bean
        Stream b(Stream.Builder fastrtc) {
            return fastrtc.video((frame, inputs) -> frame).build();
        }
    }

    @Test
    void eachContextHasItsOwnRuntimeClosedAfterItsStreams() {
        runner.withUserConfiguration(OneStream.class).run(first -> runner.withUserConfiguration(OneStream.class)
                .run(second -> {
                    Stream a = first.getBean(Stream.class);
                    Stream b = second.getBean(Stream.class);
                    FastRtc runtimeA = first.getBean(FastRtc.class);
                    assertThat(a.runtime()).isSameAs(runtimeA).isNotSameAs(b.runtime()).isNotSameAs(FastRtc.shared());
                    second.close();
                    assertThat(b.runtime().isClosed()).as("the closed context's runtime").isTrue();
                    assertThat(b.handleOffer("{}").status()).as("its stream, closed first").isEqualTo(503);
                    assertThat(runtimeA.isClosed()).as("the other context's runtime").isFalse();
                    assertThat(a.handleOffer("{}").status()).as("the other context's stream still answers")
                            .isNotEqualTo(503);
                }));
    }

    @Test
    void theBuilderBeanCarriesTheProperties() {
        runner.withUserConfiguration(OneStream.class)
                .withPropertyValues("fastrtc.concurrency-limit=7", "fastrtc.global-concurrency-limit=20",
                        "fastrtc.time-limit=90s", "fastrtc.video-codec=VP8", "fastrtc.port-min=50000",
                        "fastrtc.port-max=50100", "fastrtc.capacity.cpu=0.75")
                .run(context -> {
                    Stream stream = context.getBean(Stream.class);
                    assertThat(stream.concurrencyLimit()).isEqualTo(7);
                    assertThat(stream.capacity()).hasToString("Capacity.cpu(0.75)");
                    assertThat(stream.timeLimit()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(context.getBean(FastRtcProperties.class).videoCodec()).isEqualTo(VideoCodec.VP8);
                    assertThat(context.getBean(Stream.Builder.class)).as("a new builder per use")
                            .isNotSameAs(context.getBean(Stream.Builder.class));
                    assertThat(context).hasBean("fastRtcRoutes").hasBean("fastRtcSockets")
                            .doesNotHaveBean("fastRtcRedisCustomizer");
                });
    }

    @Test
    void aCapacityIsAFixedCountOrAShareOfTheCoresButNotBoth() {
        runner.withUserConfiguration(OneStream.class).withPropertyValues("fastrtc.capacity.streams=12")
                .run(context -> assertThat(context.getBean(Stream.class).capacity()).hasToString("Capacity.fixed(12)"));
        runner.withUserConfiguration(OneStream.class)
                .run(context -> assertThat(context.getBean(Stream.class).capacity()).isSameAs(Capacity.UNLIMITED));
        runner.withUserConfiguration(OneStream.class)
                .withPropertyValues("fastrtc.capacity.streams=12", "fastrtc.capacity.cpu=0.8")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("fastrtc.capacity.streams or fastrtc.capacity.cpu, not both"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Guarded {
        @Bean
        Authorizer authorizer() {
            return request -> {
                if (!"let-me-in".equals(request.bearerToken())) {
                    throw AccessDenied.unauthorized("send the token");
                }
                return "user";
            };
        }
    }

    @Test
    void anAuthorizerBeanGuardsTheRoutes() {
        runner.withUserConfiguration(OneStream.class, Guarded.class)
                .withPropertyValues("fastrtc.cors.allowed-origins=https://app.example.com", "fastrtc.trusted-proxies=10.0.0.0/8")
                .run(context -> {
                    RestTestClient client = RestTestClient.bindToRouterFunction(
                            context.getBean("fastRtcRoutes", RouterFunction.class)).build();
                    client.get().uri("/webrtc/rtc-configuration").exchange().expectStatus().isUnauthorized()
                            .expectBody(String.class).isEqualTo("{\"error\":\"send the token\"}");
                    client.get().uri("/webrtc/rtc-configuration").header("Authorization", "Bearer let-me-in")
                            .exchange().expectStatus().isOk();
                    client.post().uri("/ui/input").header("Content-Type", "application/json")
                            .body("{\"webrtc_id\":\"x\",\"values\":[]}").exchange().expectStatus().isUnauthorized();
                    client.post().uri("/webrtc/offer").header("Authorization", "Bearer let-me-in")
                            .header("Content-Type", "text/plain").body("{}").exchange().expectStatus().isEqualTo(415);
                    assertThat(context.getBean(Stream.class).cors().origins()).containsExactly("https://app.example.com");
                    assertThat(context).hasBean("fastRtcCors");
                });
    }

    @Test
    void aHalfSetPortRangeStopsTheApplicationWithTheFix() {
        runner.withUserConfiguration(OneStream.class).withPropertyValues("fastrtc.port-min=50000")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("set both fastrtc.port-min and fastrtc.port-max"));
    }

    @Test
    void routesNeedOneStreamBean() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RouterFunction.class)
                .hasSingleBean(Stream.Builder.class));
        runner.withUserConfiguration(TwoStreams.class)
                .run(context -> assertThat(context).doesNotHaveBean(RouterFunction.class)
                        .doesNotHaveBean(WebSocketConfigurer.class));
    }

    @Test
    void theUiCanBeSwitchedOffOrMoved() {
        runner.withUserConfiguration(OneStream.class).withPropertyValues("fastrtc.ui.enabled=false", "fastrtc.path=/rtc")
                .run(context -> {
                    RestTestClient client = RestTestClient.bindToRouterFunction(
                            context.getBean("fastRtcRoutes", RouterFunction.class)).build();
                    client.get().uri("/ui/").exchange().expectStatus().isNotFound();
                    client.get().uri("/rtc/webrtc/rtc-configuration").exchange().expectStatus().isOk();
                });
        runner.withUserConfiguration(OneStream.class).withPropertyValues("fastrtc.ui.path=/")
                .run(context -> {
                    RestTestClient client = RestTestClient.bindToRouterFunction(
                            context.getBean("fastRtcRoutes", RouterFunction.class)).build();
                    client.get().uri("/").exchange().expectStatus().isOk().expectBody(String.class)
                            .value(body -> assertThat(body).contains("assets/app.js"));
                    client.get().uri("/config").exchange().expectStatus().isOk().expectBody(String.class)
                            .value(body -> assertThat(body).contains("\"offerUrl\":\"webrtc/offer\""));
                });
    }
}
