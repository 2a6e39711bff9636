package io.fastrtc.transport.javalin;

import io.fastrtc.protocol.HttpReply;
import io.fastrtc.stream.Stream;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/** Wires a {@link Stream}'s transport-neutral entry points to Javalin routes. */
public final class JavalinRoutes {

    private JavalinRoutes() {
    }

    public static void mount(Stream stream, JavalinDefaultRoutingApi routes, String path) {
        String prefix = normalise(path);
        routes.post(prefix + "/webrtc/offer", ctx -> reply(ctx, stream.handleOffer(ctx.body())));
        // Resolved per request: providers hand out short-lived credentials, so nothing may cache it.
        routes.get(prefix + "/webrtc/rtc-configuration", ctx -> {
            ctx.header("Cache-Control", "no-store");
            reply(ctx, stream.handleRtcConfiguration());
        });
    }

    static void reply(Context ctx, HttpReply reply) {
        ctx.status(reply.status()).contentType("application/json").result(reply.body());
    }

    /** "" and "/" mean the root; otherwise a leading slash is added and a trailing one removed. */
    static String normalise(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        String p = path.startsWith("/") ? path : "/" + path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
