package io.fastrtc.spring;

import io.fastrtc.redis.RedisBroker;
import io.fastrtc.security.Authorizer;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.telemetry.Telemetry;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * FastRTC in a Spring Boot application: define one {@link Stream} bean and its routes and web UI
 * are served by the application's own server, configured by {@link FastRtcProperties}.
 *
 * <pre>{@code
 * @Bean
 * Stream stream(Stream.Builder fastrtc) {          // fastrtc.* properties already applied
 *     return fastrtc.video((frame, inputs) -> frame.flipVertical()).build();
 * }
 * }</pre>
 *
 * <p>Beans: the context's {@link FastRtc} runtime (drained by {@link FastRtcDrain} when the context
 * closes, then closed); a
 * prototype {@link Stream.Builder} on it with the properties (and, with
 * {@code fastrtc.redis.uri}, a {@link RedisBroker}; with an {@link Authorizer} bean, that
 * authorizer) applied through {@link StreamBuilderCustomizer}s;
 * and, in a servlet web application with a single {@code Stream} bean, the {@link FastRtcRoutes}
 * router and the {@link FastRtcSockets} WebSockets. Spring closes the stream (and so its broker)
 * with the context. An application with
 * several streams declares a router per stream itself:
 * {@code @Bean RouterFunction<ServerResponse> b(Stream b) { return FastRtcRoutes.routes(b, "/b", b.ui(), "/b/ui"); }}
 * (and, for its CORS, {@code FastRtcRoutes.cors(b, "/b", "/b/ui")} as a {@code WebMvcConfigurer} bean;
 * for its WebSockets, {@code FastRtcSockets.of(b, "/b")} as a {@code WebSocketConfigurer} bean).
 */
@AutoConfiguration
@ConditionalOnClass(Stream.class)
@EnableConfigurationProperties(FastRtcProperties.class)
public class FastRtcAutoConfiguration {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    StreamBuilderCustomizer fastRtcPropertiesCustomizer(FastRtcProperties properties) {
        return properties::applyTo;
    }

    /**
     * The runtime of this context's streams (engine, threads, session count): a bean, so Spring closes
     * it after the streams built on it, and two contexts in one JVM share nothing. It reports to the
     * context's {@link Telemetry} beans (metrics: {@link FastRtcMetricsAutoConfiguration}; tracing).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    FastRtc fastRtcRuntime(FastRtcProperties properties, ObjectProvider<Telemetry> telemetry) {
        Telemetry[] all = telemetry.orderedStream().toArray(Telemetry[]::new);
        return FastRtc.builder()
                .drainTimeout(properties.drainTimeout())
                .telemetry(all.length == 0 ? Telemetry.NONE : Telemetry.of(all))
                .build();
    }

    /** Drains the runtime when the context closes, before the web server stops; readiness follows the drain. */
    @Bean
    @ConditionalOnMissingBean
    FastRtcDrain fastRtcDrain(FastRtc runtime, ApplicationEventPublisher events) {
        return new FastRtcDrain(runtime, events);
    }

    /** The {@code fastrtc} component of {@code /actuator/health} ({@code management.health.fastrtc.enabled}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("fastrtc")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "fastrtcHealthIndicator")
        FastRtcHealthIndicator fastrtcHealthIndicator(FastRtc runtime) {
            return new FastRtcHealthIndicator(runtime);
        }
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 3)
    StreamBuilderCustomizer fastRtcRuntimeCustomizer(FastRtc runtime) {
        return builder -> builder.runtime(runtime);
    }

    /** The application's {@link Authorizer} bean, if it has one, decides who may use the stream. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    StreamBuilderCustomizer fastRtcAuthorizerCustomizer(ObjectProvider<Authorizer> authorizer) {
        return builder -> authorizer.ifUnique(builder::authorizer);
    }

    /** A fresh builder for each injection point, with every {@link StreamBuilderCustomizer} applied in order. */
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    @ConditionalOnMissingBean
    Stream.Builder fastRtcStreamBuilder(ObjectProvider<StreamBuilderCustomizer> customizers) {
        Stream.Builder builder = Stream.builder();
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder;
    }

    /** Several instances: each stream built from the builder bean gets its own broker on the shared Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisBroker.class)
    @ConditionalOnProperty("fastrtc.redis.uri")
    static class RedisBrokerConfiguration {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE + 1)
        StreamBuilderCustomizer fastRtcRedisCustomizer(FastRtcProperties properties) {
            FastRtcProperties.Redis redis = properties.redis();
            return builder -> {
                RedisBroker.Builder broker = RedisBroker.builder(redis.uri()).keyPrefix(redis.keyPrefix())
                        .ownershipTtl(redis.ownershipTtl());
                if (redis.instanceId() != null) {
                    broker.instanceId(redis.instanceId());
                }
                builder.broker(broker.build());
            };
        }
    }

    /** Spring MVC: the routes of the application's one stream, its CORS and its WebSockets. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(RouterFunction.class)
    @ConditionalOnSingleCandidate(Stream.class)
    static class WebMvcConfiguration {

        @Bean
        RouterFunction<ServerResponse> fastRtcRoutes(Stream stream, FastRtcProperties properties) {
            FastRtcProperties.Ui ui = properties.ui();
            return FastRtcRoutes.routes(stream, properties.path(), ui.enabled() ? stream.ui() : null, ui.path());
        }

        /** The stream's CORS ({@code fastrtc.cors.*}) for its routes; Spring answers preflights before any route. */
        @Bean
        WebMvcConfigurer fastRtcCors(Stream stream, FastRtcProperties properties) {
            return FastRtcRoutes.cors(stream, properties.path(), properties.ui().path());
        }

        /** {@code /websocket/offer} and {@code /telephone/handler} next to the routes (see {@link FastRtcSockets}). */
        @Bean
        WebSocketConfigurer fastRtcSockets(Stream stream, FastRtcProperties properties) {
            return FastRtcSockets.of(stream, properties.path());
        }
    }

    /** The application's own controllers map the stream's exceptions as the library's routes do. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(RestControllerAdvice.class)
    static class ExceptionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FastRtcExceptionHandler fastRtcExceptionHandler() {
            return new FastRtcExceptionHandler();
        }
    }

    /**
     * Spring's WebSocket handler mapping, which serves every {@code WebSocketConfigurer} bean: the
     * starter's, and those an application with several streams declares itself.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(EnableWebSocket.class)
    @EnableWebSocket
    static class WebSocketConfiguration {
    }
}
