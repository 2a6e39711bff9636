package io.fastrtc.transport;

import io.fastrtc.ui.UiOptions;
import io.fastrtc.ui.UiServer;

/**
 * Starts a web server for {@code stream.ui().launch()}: a service ({@link java.util.ServiceLoader})
 * that a server adapter provides in {@code META-INF/services/io.fastrtc.transport.UiLauncher}. The
 * module {@code fastrtc-javalin} is the one shipped; the core itself starts no server.
 */
public interface UiLauncher {

    /**
     * Serves {@code stream}'s routes at the root and its UI (with {@code options}) at {@code /} on
     * {@code host}:{@code port} (0 for any free port), started when this returns.
     */
    UiServer launch(Endpoints stream, UiOptions options, String host, int port);
}
