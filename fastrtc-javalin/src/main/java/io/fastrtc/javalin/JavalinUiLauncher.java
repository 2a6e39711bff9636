package io.fastrtc.javalin;

import io.fastrtc.transport.Endpoints;
import io.fastrtc.transport.UiLauncher;
import io.fastrtc.ui.UiOptions;
import io.fastrtc.ui.UiServer;
import io.javalin.Javalin;

/** {@code stream.ui().launch()} on Javalin, found by {@link java.util.ServiceLoader}; not for direct use. */
public final class JavalinUiLauncher implements UiLauncher {

    @Override
    public UiServer launch(Endpoints stream, UiOptions options, String host, int port) {
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            JavalinRoutes.mount(stream, cfg.routes, "/");
            UiRoutes.mount(stream.uiEndpoints(options, "/", "/"), stream.cors(), cfg.routes);
        });
        app.start(host, port);
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return new JavalinUiServer(app, "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":"
                + app.port() + "/");
    }
}
