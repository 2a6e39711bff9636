package io.fastrtc.stream;

import io.fastrtc.transport.UiLauncher;
import io.fastrtc.ui.UiOptions;
import io.fastrtc.ui.UiServer;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in web UI of a {@link Stream}, FastRTC's Gradio UI as a page the library serves itself
 * (plain HTML, CSS and JavaScript modules from the classpath): camera/microphone with device
 * selection, the stream's result, additional inputs and outputs, connection state and toasts.
 *
 * <pre>{@code
 * stream.ui().launch();     // its own server on port 7860 (or $PORT), with module fastrtc-javalin
 * }</pre>
 *
 * <p>On an application's own server the adapter serves it: on Javalin
 * {@code new FastRtcPlugin(stream, p -> p.uiPath = "/ui")}, on Spring Boot {@code fastrtc.ui.path}.
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

    WebUi(Stream stream, UiOptions options) {
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
     *
     * @throws IllegalStateException if no server adapter is on the class path (add {@code fastrtc-javalin})
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
        UiServer server = launcher().launch(stream, options, Objects.requireNonNull(host, "host"), port);
        System.out.println("* Running on local URL:  " + server.url());
        LOG.info("web UI at {}", server.url());
        return server;
    }

    private static UiLauncher launcher() {
        Iterator<UiLauncher> found = ServiceLoader.load(UiLauncher.class, WebUi.class.getClassLoader()).iterator();
        if (!found.hasNext()) {
            throw new IllegalStateException("stream.ui().launch() needs a web server: add the dependency"
                    + " io.fastrtc:fastrtc-javalin (or serve the UI on your own server, e.g. with the Spring Boot starter)");
        }
        return found.next();
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
