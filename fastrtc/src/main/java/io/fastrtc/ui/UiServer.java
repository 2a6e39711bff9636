package io.fastrtc.ui;

/**
 * A running web UI started by {@code stream.ui().launch()}: a server with the stream's routes and
 * the page. Stopping it leaves the stream itself open. The server adapter that started it (module
 * {@code fastrtc-javalin}) may give access to the server itself, e.g. {@code JavalinUiServer.app()}.
 */
public interface UiServer extends AutoCloseable {

    /** The address to open in a browser, e.g. {@code http://127.0.0.1:7860/}. */
    String url();

    int port();

    void stop();

    @Override
    default void close() {
        stop();
    }
}
