package io.fastrtc.examples;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.security.Request;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 * as does a connection another client opened (the mapping {@code stream.mount} adds). A subscriber
 * that comes before its connection (FastRTC's clients open this right after their WebSocket) waits
 * for it, at most the stream's connect timeout, before anything is answered. The response is written
 * by hand rather than with Javalin's {@code sse()}, which answers 200 before the route runs, so that
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
            stream.mount(cfg, "/");
            addRoute(cfg, stream);
        });
    }

    /** Adds {@code GET /outputs}. */
    public static void addRoute(JavalinConfig cfg, Stream stream) {
        cfg.routes.get("/outputs", ctx -> {
            OutputFeed feed = stream.authorize(Request.from(ctx.req())).outputStream(ctx.queryParam("webrtc_id"));
            ctx.contentType("text/event-stream").header("Cache-Control", "no-cache");
            ctx.res().flushBuffer();
            try (feed; OutputStream out = ctx.res().getOutputStream()) {
                while (!feed.isFinished()) {
                    AdditionalOutputs next = feed.poll(Duration.ofSeconds(15)); // null: time for a keep-alive
                    String event = next == null ? ": keep-alive\n\n"
                            : "event: output\ndata: " + ctx.jsonMapper().toJsonString(next.values(), List.class) + "\n\n";
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                // the page has gone: the feed is closed, its place free for the next one
            }
        });
    }
}
