package io.fastrtc.ui;

import io.fastrtc.stream.Stream;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in web UI of a {@link Stream}, FastRTC's Gradio UI as a page the library serves itself
 * (plain HTML, CSS and JavaScript modules from the classpath): camera/microphone with device
 * selection, the stream's result, additional inputs and outputs, connection state and toasts.
 *
 * <pre>{@code
 * stream.ui().launch();                 // its own server on port 7860 (or $PORT)
 *
 * stream.mount(app);                    // or next to the stream on your own app:
 * stream.ui().mount(app, "/ui");        // page at /ui/, signalling at /webrtc/offer
 * }</pre>
 *
 * <p>Routes under the UI's path: {@code GET /} the page, {@code GET /assets/{name}} its files,
 * {@code GET /config} the stream's description, {@code POST /input} additional inputs
 * ({@code {webrtc_id, values: [...]}}), {@code GET /outputs?webrtc_id=} the additional outputs as
 * server-sent events. The page connects through the stream's own {@code POST /webrtc/offer}, so
 * connections from the page count towards the stream's concurrency limit like any other.
 */
public final class WebUi {

    /** Gradio's port. */
    public static final int DEFAULT_PORT = 7860;

    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);

    private final Stream stream;
    private final UiOptions options;

    public WebUi(Stream stream, UiOptions options) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.options = Objects.requireNonNull(options, "options");
    }

    public Stream stream() {
        return stream;
    }

    public UiOptions options() {
        return options;
    }

    /**
     * Serves the UI and the stream on a new server at {@code $PORT} or {@value #DEFAULT_PORT}, on
     * {@code $HOST} or 127.0.0.1, and prints its URL.
     */
    public UiServer launch() {
        return launch(envHost(System.getenv()), envPort(System.getenv()));
    }

    /** The same on {@code port} (0 for any free port). */
    public UiServer launch(int port) {
        return launch(envHost(System.getenv()), port);
    }

    /** The same on {@code host} (e.g. {@code "0.0.0.0"} for every interface) and {@code port}. */
    public UiServer launch(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535; got " + port);
        }
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            stream.mount(cfg, "/");
            mount(cfg, "/", "/");
        });
        app.start(host, port);
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        String url = "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + app.port() + "/";
        System.out.println("* Running on local URL:  " + url);
        LOG.info("web UI at {}", url);
        return new UiServer(app, url);
    }

    /** Serves the UI under {@code path} of {@code app}; the stream must be mounted at the root ({@code stream.mount(app)}). */
    public void mount(Javalin app, String path) {
        mount(app, path, "/");
    }

    /** Serves the UI under {@code path}, for a stream mounted at {@code streamPath} ({@code stream.mount(app, streamPath)}). */
    public void mount(Javalin app, String path, String streamPath) {
        UiRoutes.mount(this, app.unsafe.routes, path, streamPath);
    }

    /** The same, for Javalin's configuration style. */
    public void mount(JavalinConfig config, String path, String streamPath) {
        UiRoutes.mount(this, config.routes, path, streamPath);
    }

    static int envPort(Map<String, String> env) {
        String port = env.get("PORT");
        if (port == null || port.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(port.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("environment variable PORT must be a port number from 0 to 65535; got \""
                + port + "\"");
    }

    static String envHost(Map<String, String> env) {
        String host = env.get("HOST");
        return host == null || host.isBlank() ? "127.0.0.1" : host.trim();
    }
}
