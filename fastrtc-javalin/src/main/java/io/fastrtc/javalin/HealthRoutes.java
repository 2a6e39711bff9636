package io.fastrtc.javalin;

import io.fastrtc.stream.FastRtc;
import io.fastrtc.transport.HttpReply;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Map;

/**
 * Probes for orchestrators ({@link FastRtcPlugin.Config#healthPath}): {@code GET {path}/ready} is 200
 * while the runtime takes new sessions and 503 once it drains or closed, so a load balancer stops
 * sending clients before they would be refused; {@code GET {path}/live} is 200 until the runtime is
 * closed (a drained instance then gets restarted).
 */
final class HealthRoutes {

    private HealthRoutes() {
    }

    static void mount(FastRtc runtime, JavalinDefaultRoutingApi routes, String path) {
        String prefix = JavalinRoutes.normalise(path);
        routes.addHttpHandler(HandlerType.GET, prefix + "/ready", ctx -> JavalinRoutes.reply(ctx,
                probe(runtime.isReady(), runtime.isDraining() && !runtime.isClosed() ? "DRAINING" : "DOWN")));
        routes.addHttpHandler(HandlerType.GET, prefix + "/live", ctx -> JavalinRoutes.reply(ctx,
                probe(!runtime.isClosed(), "DOWN")));
    }

    private static HttpReply probe(boolean up, String otherwise) {
        return HttpReply.ok(Map.of("status", up ? "UP" : otherwise)).withStatus(up ? 200 : 503)
                .withHeader("Cache-Control", "no-store");
    }
}
