package io.fastrtc.javalin;

import io.fastrtc.security.Cors;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.UiEndpoints;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;

/** The web UI's routes on Javalin; what they answer comes from {@link UiEndpoints}. */
final class UiRoutes {

    private UiRoutes() {
    }

    static void mount(UiEndpoints ends, Cors cors, JavalinDefaultRoutingApi routes) {
        String prefix = ends.path();
        if (!prefix.isEmpty()) {
            get(routes, prefix, ctx -> page(ctx, ends)); // redirected to prefix + "/", where relative links work
        }
        get(routes, prefix + "/", ctx -> page(ctx, ends));
        get(routes, prefix + "/assets/{name}", ctx -> {
            String name = ctx.pathParam("name");
            ends.asset(name).ifPresentOrElse(c -> content(ctx, c), () -> JavalinRoutes.reply(ctx, UiEndpoints.noAsset(name)));
        });
        get(routes, prefix + "/config", ctx -> content(ctx, ends.config()));
        JavalinRoutes.route(routes, cors, HandlerType.POST, prefix + "/input", ctx -> {
            String body;
            try {
                body = JavalinRoutes.body(ctx, UiEndpoints.MAX_INPUT_BYTES);
            } catch (ProtocolException e) {
                JavalinRoutes.reply(ctx, HttpReply.error(e));
                return;
            }
            JavalinRoutes.reply(ctx, ends.input(JavalinRoutes.request(ctx), body));
        });
        JavalinRoutes.route(routes, cors, HandlerType.GET, prefix + "/outputs", ctx -> outputs(ctx, ends));
        if (ends.hasIcon()) {
            get(routes, prefix + "/icon", ctx -> content(ctx, ends.icon())); // a file that may go away
        }
    }

    /** A page resource: same-origin, so no CORS, but an unexpected failure gets an error id as on every route. */
    private static void get(JavalinDefaultRoutingApi routes, String path, Handler handler) {
        routes.get(path, JavalinRoutes.guarded(HandlerType.GET, path, handler));
    }

    private static void page(Context ctx, UiEndpoints ends) {
        String redirect = UiEndpoints.redirect(ctx.path(), ctx.queryString());
        if (redirect != null) {
            ctx.redirect(redirect);
        } else {
            content(ctx, ends.page());
        }
    }

    private static void content(Context ctx, UiEndpoints.Content content) {
        if (content.cacheControl() != null) {
            ctx.header("Cache-Control", content.cacheControl());
        }
        ctx.contentType(content.contentType()).result(content.bytes());
    }

    /**
     * Written by hand rather than with Javalin's {@code sse()} so that a bad id gets an ordinary JSON
     * error; the request's thread carries the feed until the connection or the page goes away.
     */
    private static void outputs(Context ctx, UiEndpoints ends) throws IOException {
        UiEndpoints.OutputEvents events = ends.outputs(JavalinRoutes.request(ctx), ctx.queryParam("webrtc_id"));
        if (events.error() != null) {
            JavalinRoutes.reply(ctx, events.error());
            return;
        }
        try {
            EventStream out = EventStream.open(ctx);
            events.forEach(e -> {
                if (e.name() == null) {
                    out.comment(e.data());
                } else {
                    out.event(e.name(), e.data());
                }
            });
        } catch (IOException e) {
            // the page went away; closing the feed is all there is to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // server stopping
        } finally {
            events.close();
        }
    }
}
