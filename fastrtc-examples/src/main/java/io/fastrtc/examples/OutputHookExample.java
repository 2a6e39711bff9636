package io.fastrtc.examples;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.javalin.EventStream;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * "Output Hooks" from FastRTC's Core Concepts page: {@code GET /outputs?webrtc_id=...} streams a
 * connection's additional outputs as server-sent events and ends when the connection ends.
 *
 * <pre>
 * event: output
 * data: [{"brightness":0.49,"threshold":0.3,"flipped":true}]
 * </pre>
 *
 * <p>{@code data} is the JSON array of the {@link AdditionalOutputs} values. The route acts for the
 * request ({@link Stream#authorize}), unlike FastRTC's {@code output_stream}: an unknown id gets 404,
 * as does a connection another client opened (the mapping the {@code FastRtcPlugin} adds). A subscriber
 * that comes before its connection (FastRTC's clients open this right after their WebSocket) waits
 * for it, at most the stream's connect timeout, before anything is answered. The response is an
 * {@link EventStream} rather than Javalin's {@code sse()}, which answers 200 before the route runs, so that
 * those errors are ordinary JSON replies and any client ({@code EventSource}, curl,
 * {@code java.net.http}) gets the stream whatever its {@code Accept} header. A {@code null} from
 * {@code poll} sends a keep-alive, which is also how a page that has gone is noticed (its write
 * fails, and the feed is closed). Each listener holds one request thread while it listens.
 * README.md shows this route as it is here.
 */
public final class OutputHookExample {

    private OutputHookExample() {
    }

    /** An app with the stream mounted and the hook. */
    public static Javalin create(Stream stream) {
        return Javalin.create(cfg -> {
            cfg.registerPlugin(new FastRtcPlugin(stream));
            addRoute(cfg, stream);
        });
    }

    /** Adds {@code GET /outputs}. */
    public static void addRoute(JavalinConfig cfg, Stream stream) {
        cfg.routes.get("/outputs", ctx -> {
            OutputFeed feed = stream.authorize(FastRtcPlugin.request(ctx)).outputStream(ctx.queryParam("webrtc_id"));
            try (feed) {
                EventStream events = EventStream.open(ctx);
                while (!feed.isFinished()) {
                    AdditionalOutputs next = feed.poll(Duration.ofSeconds(15)); // null: time for a keep-alive
                    if (next == null) {
                        events.comment("keep-alive");
                    } else {
                        events.event("output", ctx.jsonMapper().toJsonString(next.values(), List.class));
                    }
                }
            } catch (IOException e) {
                // the page has gone: the feed is closed, its place free for the next one
            }
        });
    }
}
