package io.fastrtc.ui;

import io.javalin.Javalin;

/**
 * A running web UI started by {@link WebUi#launch()}: its own Javalin server with the stream's
 * signalling route and the page. Stopping it leaves the stream itself open.
 */
public final class UiServer implements AutoCloseable {

    private final Javalin app;
    private final String url;

    UiServer(Javalin app, String url) {
        this.app = app;
        this.url = url;
    }

    /** The address to open in a browser, e.g. {@code http://127.0.0.1:7860/}. */
    public String url() {
        return url;
    }

    public int port() {
        return app.port();
    }

    /** The underlying server, e.g. to add routes. */
    public Javalin app() {
        return app;
    }

    public void stop() {
        app.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
