package io.fastrtc.testing;

import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.Stream;
import io.javalin.Javalin;
import java.util.function.Consumer;

/** A {@link Stream} mounted on an embedded Javalin server on a free port, for tests. */
public final class StreamServer implements AutoCloseable {

    private final Stream stream;
    private final Javalin app;

    private StreamServer(Stream stream, Javalin app) {
        this.stream = stream;
        this.app = app;
    }

    public static StreamServer start(Stream stream) {
        return start(stream, p -> {
        });
    }

    /** The stream with the plugin configured by {@code config} (a path, the UI, health probes). */
    public static StreamServer start(Stream stream, Consumer<FastRtcPlugin.Config> config) {
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, config)));
        app.start("127.0.0.1", 0);
        return new StreamServer(stream, app);
    }

    /** The stream at the root and its built-in web UI at {@code /ui} ({@code /ui/input}, {@code /ui/outputs}). */
    public static StreamServer startWithUi(Stream stream) {
        return start(stream, p -> p.uiPath = "/ui");
    }

    public Stream stream() {
        return stream;
    }

    public Javalin app() {
        return app;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public String offerUrl() {
        return baseUrl() + "/webrtc/offer";
    }

    public String url(String path) {
        return baseUrl() + path;
    }

    @Override
    public void close() {
        stream.close();
        app.stop();
    }
}
