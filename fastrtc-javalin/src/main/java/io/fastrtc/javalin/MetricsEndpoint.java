package io.fastrtc.javalin;

import io.javalin.config.JavalinState;
import io.javalin.plugin.Plugin;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An opt-in Prometheus scrape endpoint: {@code GET path} answers what {@code scrape} gives, in
 * Prometheus' text format. With Micrometer's Prometheus registry (and {@code fastrtc-micrometer} on
 * the runtime):
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * FastRtc rtc = FastRtc.builder().telemetry(new MicrometerTelemetry(registry)).build();
 * Javalin.create(cfg -> {
 *     cfg.registerPlugin(new FastRtcPlugin(Stream.builder().runtime(rtc)...build()));
 *     cfg.registerPlugin(new MetricsEndpoint("/metrics", registry::scrape));
 * });
 * }</pre>
 *
 * <p>It takes a supplier rather than a registry so this module depends on no metrics library. The
 * route has no access control of its own: bind it to an internal port, or guard it with a
 * {@code beforeMatched} handler, when the app is public.
 */
public final class MetricsEndpoint extends Plugin<Void> {

    /** Prometheus' text exposition format, the one {@code PrometheusMeterRegistry.scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final String path;
    private final Supplier<String> scrape;

    public MetricsEndpoint(String path, Supplier<String> scrape) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', e.g. \"/metrics\"; got " + path);
        }
        this.path = path;
        this.scrape = Objects.requireNonNull(scrape, "scrape");
    }

    @Override
    public void onStart(JavalinState state) {
        state.routes.get(path, ctx -> ctx.contentType(CONTENT_TYPE).result(scrape.get()));
    }
}
