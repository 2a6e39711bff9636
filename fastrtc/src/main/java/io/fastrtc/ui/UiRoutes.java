package io.fastrtc.ui;

import io.fastrtc.protocol.HttpReply;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The web UI's routes on Javalin; what they answer comes from {@link UiEndpoints}. */
final class UiRoutes {

    private UiRoutes() {
    }

    static void mount(WebUi ui, JavalinDefaultRoutingApi routes, String path, String streamPath) {
        UiEndpoints ends = UiEndpoints.of(ui, path, streamPath);
        String prefix = ends.path();
        if (!prefix.isEmpty()) {
            routes.get(prefix, ctx -> page(ctx, ends)); // redirected to prefix + "/", where relative links work
        }
        routes.get(prefix + "/", ctx -> page(ctx, ends));
        routes.get(prefix + "/assets/{name}", ctx -> {
            String name = ctx.pathParam("name");
            ends.asset(name).ifPresentOrElse(c -> content(ctx, c), () -> reply(ctx, UiEndpoints.noAsset(name)));
        });
        routes.get(prefix + "/config", ctx -> content(ctx, ends.config()));
        routes.post(prefix + "/input", ctx -> reply(ctx, ends.input(ctx.body())));
        routes.get(prefix + "/outputs", ctx -> outputs(ctx, ends));
        if (ends.hasIcon()) {
            routes.get(prefix + "/icon", ctx -> content(ctx, ends.icon()));
        }
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

    private static void reply(Context ctx, HttpReply reply) {
        ctx.status(reply.status()).contentType("application/json").result(reply.body());
    }

    /**
     * Written by hand rather than with Javalin's {@code sse()} so that a bad id gets an ordinary JSON
     * error; the request's thread carries the feed until the connection or the page goes away.
     */
    private static void outputs(Context ctx, UiEndpoints ends) throws IOException {
        try (UiEndpoints.OutputEvents events = ends.outputs(ctx.queryParam("webrtc_id"))) {
            if (events.error() != null) {
                reply(ctx, events.error());
                return;
            }
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            res.setHeader("Cache-Control", "no-cache");
            res.setHeader("X-Accel-Buffering", "no"); // nginx would otherwise hold events back
            res.flushBuffer();
            ServletOutputStream out = res.getOutputStream();
            for (UiEndpoints.Event e = events.next(); e != null; e = events.next()) {
                out.write(e.format().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the page went away; closing the feed is all there is to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // server stopping
        }
    }
}
