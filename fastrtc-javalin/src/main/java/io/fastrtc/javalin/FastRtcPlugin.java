package io.fastrtc.javalin;

import io.fastrtc.security.Request;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.UiOptions;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Stream} on Javalin, as a Javalin plugin: FastRTC's routes ({@code POST /webrtc/offer},
 * {@code GET /webrtc/rtc-configuration}, {@code WS /websocket/offer}, {@code POST /telephone/incoming},
 * {@code WS /telephone/handler}) and, if asked, the built-in web UI.
 *
 * <pre>{@code
 * Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream))).start(8000);
 *
 * Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, p -> {
 *     p.path = "/api";           // POST /api/webrtc/offer ...
 *     p.uiPath = "/ui";          // the web UI at /ui/
 *     p.healthPath = "/health";  // GET /health/ready, /health/live
 * })));
 * }</pre>
 *
 * <p>Every route carries the stream's CORS headers and answers {@code OPTIONS} preflights; an
 * {@code AccessDenied} or {@code UnknownConnectionException} escaping the application's own routes
 * is answered with its status. Register one plugin per stream.
 */
public final class FastRtcPlugin extends Plugin<FastRtcPlugin.Config> {

    /** Where the plugin serves the stream. */
    public static final class Config {
        /** Prefix of the stream's routes: "" or "/" for the root, e.g. {@code "/api"}. */
        public String path = "";
        /** Path of the built-in web UI, or null (the default) for none. */
        public String uiPath;
        /** The web UI's options; the ones given to the stream's builder when null. */
        public UiOptions uiOptions;
        /**
         * Where to serve the stream runtime's health probes, or null (the default) for none: with
         * {@code "/health"}, {@code GET /health/ready} (200, 503 once draining) and {@code GET
         * /health/live} (200 until the runtime is closed), for Kubernetes' readiness and liveness
         * probes. Set it on one plugin per runtime.
         */
        public String healthPath;
    }

    private final Stream stream;

    /** The stream's routes at the root. */
    public FastRtcPlugin(Stream stream) {
        this(stream, config -> {
        });
    }

    /** The stream's routes, and its UI, where {@code config} says. */
    public FastRtcPlugin(Stream stream, Consumer<Config> config) {
        super(Objects.requireNonNull(config, "config"), new Config());
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public void onStart(JavalinState state) {
        Config config = pluginConfig;
        JavalinRoutes.mount(stream, state.routes, config.path);
        if (config.uiPath != null) {
            UiOptions options = config.uiOptions != null ? config.uiOptions : stream.ui().options();
            UiRoutes.mount(stream.uiEndpoints(options, config.uiPath, config.path), stream.cors(), state.routes);
        }
        if (config.healthPath != null) {
            HealthRoutes.mount(stream.runtime(), state.routes, config.healthPath);
        }
    }

    /** Several streams may share an app, each with its own plugin (under its own path). */
    @Override
    public boolean repeatable() {
        return true;
    }

    /**
     * The library's view of a Javalin request, made once per request: what your own routes pass to
     * {@code stream.authorize(...)}.
     */
    public static Request request(Context ctx) {
        return JavalinRoutes.request(ctx);
    }
}
