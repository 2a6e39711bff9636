package io.fastrtc.examples;

import io.fastrtc.micrometer.MicrometerTelemetry;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.ui.Component;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.javalin.MetricsEndpoint;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.util.JavalinBindException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Core Concepts page as one app: the {@link VideoFlip} stream mounted on an embedded Javalin
 * server together with the input hook, the output hook, and a custom front-end page at {@code /}
 * ("Custom Routes and Frontend Integration"), and Prometheus metrics at {@code /metrics}. The page (plain HTML, CSS and a JavaScript module,
 * served from the classpath) speaks FastRTC's client protocol: it offers the camera and a
 * {@code "text"} data channel to {@code POST /webrtc/offer}, shows the processed video, posts the
 * slider to {@code /input_hook} and reads the readings from {@code /outputs}.
 *
 * <p>Run it with {@code scripts/demo [port]}; the port comes from the first argument, else from
 * the environment variable {@code PORT}, else {@value #DEFAULT_PORT}. Browsers only grant camera
 * access to {@code localhost} or HTTPS pages, so open it on this machine (or put it behind HTTPS).
 */
public final class VideoFlipDemo {

    static final int DEFAULT_PORT = 8000;
    /** Where the page lives on the classpath. */
    static final String WEB_ROOT = "/io/fastrtc/examples/web";
    /** The library's own browser client (session.js), which client.js builds on. */
    static final String LIBRARY_CLIENT = "/io/fastrtc/ui/web";

    private VideoFlipDemo() {
    }

    /** The app: page, {@code POST /webrtc/offer}, {@code POST /input_hook}, {@code GET /outputs}, {@code GET /config}. */
    public static Javalin create(Stream stream) {
        return create(stream, null);
    }

    /** {@link #create(Stream)}, plus {@code GET /metrics} answering {@code metrics} unless it is null. */
    public static Javalin create(Stream stream, Supplier<String> metrics) {
        return Javalin.create(cfg -> {
            if (metrics != null) {
                cfg.registerPlugin(new MetricsEndpoint("/metrics", metrics));
            }
            cfg.staticFiles.add(WEB_ROOT, Location.CLASSPATH);
            serveClient(cfg, "");
            cfg.registerPlugin(new FastRtcPlugin(stream));
            InputHookExample.addRoute(cfg, stream, VideoFlip.INPUT_FIELD);
            OutputHookExample.addRoute(cfg, stream);
            cfg.routes.get("/config", ctx -> ctx.json(config(stream)));
        });
    }

    /** The page's client (client.js) under {@code path}, with the library's session.js under {@code path + "/fastrtc"}. */
    static void serveClient(JavalinConfig cfg, String path) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = path + "/fastrtc";
            files.directory = LIBRARY_CLIENT;
            files.location = Location.CLASSPATH;
        });
    }

    /** What the page draws its slider from, so the Java declaration stays the only one. */
    static Map<String, Object> config(Stream stream) {
        Component slider = stream.additionalInputs().get(0);
        Map<String, Object> input = new LinkedHashMap<>(slider.describe());
        input.put("field", VideoFlip.INPUT_FIELD);
        return Map.of("input", input);
    }

    public static void main(String[] args) {
        int port;
        try {
            port = port(args, System.getenv("PORT"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FastRtc runtime = FastRtc.builder().telemetry(new MicrometerTelemetry(registry)).build();
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "demo-runtime-shutdown"));
        Stream stream = VideoFlip.stream(runtime);
        Javalin app = start(stream, create(stream, registry::scrape), port);
        System.out.println();
        System.out.println("  FastRTC video flip demo: open http://localhost:" + app.port() + "/");
        System.out.println("  (Prometheus metrics at http://localhost:" + app.port() + "/metrics)");
        System.out.println("  (stop with Ctrl+C)");
        System.out.println();
    }

    /** Starts a demo's {@code app} serving {@code stream} on {@code port}, both closed at JVM exit; exits if the port is taken. */
    static Javalin start(Stream stream, Javalin app, int port) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stream.close();
            app.stop();
        }, "demo-shutdown"));
        try {
            app.start(port);
        } catch (JavalinBindException e) {
            System.err.println("Port " + port + " is in use; pass a free one, e.g. 8081 (or PORT=8081)");
            System.exit(1);
        }
        return app;
    }

    /** The port from the first argument, else from {@code PORT}, else {@value #DEFAULT_PORT}. */
    static int port(String[] args, String env) {
        String value = args.length > 0 ? args[0] : env;
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("port must be a number from 0 to 65535; got \"" + value + "\"");
    }
}
