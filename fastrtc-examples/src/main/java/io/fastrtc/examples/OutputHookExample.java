package io.fastrtc.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.javalin.EventStream;
import io.fastrtc.javalin.FastRtcPlugin;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * "Output Hooks" from FastRTC's Core Concepts page: {@code GET /outputs?webrtc_id=...} streams a
 * connection's additional outputs as server-sent events and ends when the connection ends.
 *
 * <pre>
 * event: output
 * data: [{"brightness":0.49,"threshold":0.3,"flipped":true}]
 * </pre>
 *
 * <p>{@code data} is the JSON array of the {@link AdditionalOutputs} values. A missing
 * {@code webrtc_id} gets 422, an unknown one 404, as does a connection another client opened: the
 * route acts for the request ({@link Stream#authorize}), unlike FastRTC's {@code output_stream}.
 * The events go out through {@link EventStream} rather than
 * Javalin's {@code sse()} so that those errors are ordinary JSON replies and any client (curl,
 * {@code EventSource}, {@code java.net.http}) gets the stream whatever its {@code Accept} header.
 * Each listener holds one request thread while it listens, which suits a few listeners per connection.
 */
public final class OutputHookExample {

    /** A comment is sent this long after the last event, so a vanished client is noticed and proxies keep the line open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final ObjectMapper JSON = new ObjectMapper();

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
        cfg.routes.get("/outputs", ctx -> streamOutputs(ctx, stream));
    }

    private static void streamOutputs(Context ctx, Stream stream) throws IOException {
        String webrtcId = ctx.queryParam("webrtc_id");
        if (webrtcId == null || webrtcId.isEmpty()) {
            ctx.status(422).json(Map.of("error", "invalid_input",
                    "message", "query parameter webrtc_id is missing: GET /outputs?webrtc_id=<the id of the offer>"));
            return;
        }
        OutputFeed feed;
        try {
            feed = stream.authorize(FastRtcPlugin.request(ctx)).outputStream(webrtcId);
        } catch (UnknownConnectionException e) {
            ctx.status(404).json(Map.of("error", "unknown_connection", "message", e.getMessage()));
            return;
        }
        try (feed) {
            EventStream sse = EventStream.open(ctx);
            while (true) {
                AdditionalOutputs outputs = feed.poll(KEEP_ALIVE);
                if (outputs != null) {
                    sse.event("output", JSON.writeValueAsString(outputs.values()));
                } else if (feed.isFinished()) {
                    return; // the connection ended: so does the response
                } else {
                    sse.comment("keep-alive");
                }
            }
        } catch (IOException e) {
            // the client went away; closing the feed is all there is to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // server stopping
        }
    }
}
