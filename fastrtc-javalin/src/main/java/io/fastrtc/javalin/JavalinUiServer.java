package io.fastrtc.javalin;

import io.fastrtc.ui.UiServer;
import io.javalin.Javalin;

/**
 * The server {@code stream.ui().launch()} starts when this module is on the class path: a Javalin
 * app with the stream's routes and its web UI at the root. Stopping it leaves the stream open.
 */
public final class JavalinUiServer implements UiServer {

    private final Javalin app;
    private final String url;

    JavalinUiServer(Javalin app, String url) {
        this.app = app;
        this.url = url;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public int port() {
        return app.port();
    }

    /** The underlying server, e.g. to add routes: {@code ((JavalinUiServer) stream.ui().launch()).app()}. */
    public Javalin app() {
        return app;
    }

    @Override
    public void stop() {
        app.stop();
    }
}
