package io.fastrtc.transport;

import io.fastrtc.security.Request;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * What the web UI's routes answer, whatever the server: the page and its files, its configuration,
 * the input hook and the outputs feed ({@link Endpoints#uiEndpoints}). Server adapters only copy these
 * answers out.
 *
 * <p>Routes under the UI's path: {@code GET /} {@link #page()} ({@code GET} of the path without
 * the slash is redirected there, see {@link #redirect}), {@code GET /assets/{name}}
 * {@link #asset}, {@code GET /config} {@link #config()}, {@code POST /input} {@link #input},
 * {@code GET /outputs?webrtc_id=} {@link #outputs} as server-sent events, and {@code GET /icon}
 * {@link #icon()} when {@link #hasIcon()}.
 *
 * <p>{@code input} and {@code outputs} act for the request: they run the stream's authorizer and
 * reach only connections the request's client owns; adapters pass the request's {@link Request}
 * view and the stream's CORS headers.
 */
public interface UiEndpoints {

    /** A comment is sent this long after the last event, so a vanished page is noticed and proxies keep the line open. */
    Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Largest {@code input} body: inputs may carry a whole chat history. */
    int MAX_INPUT_BYTES = 256 * 1024;

    /** A response body with its content type and, if it must not be kept, its {@code Cache-Control}. */
    record Content(String contentType, byte[] bytes, String cacheControl) {
    }

    /** One server-sent event; a null {@code name} makes it a comment (a keep-alive). */
    record Event(String name, String data) {
        /** The event as it goes on the wire. */
        public String format() {
            return name == null ? ": " + data + "\n\n" : "event: " + name + "\ndata: " + data + "\n\n";
        }
    }

    /** Where an adapter writes the events of {@link OutputEvents#forEach}. */
    @FunctionalInterface
    interface EventSink {
        void send(Event event) throws IOException;
    }

    /**
     * A connection's additional outputs as events: {@code event: output} with the JSON array of the
     * output components' new values, a keep-alive comment after {@link #KEEP_ALIVE} of silence, until
     * the connection ends. Close it when the client goes away.
     */
    interface OutputEvents extends AutoCloseable {

        /** Why the feed could not be opened (answer it instead of events), or null. */
        HttpReply error();

        /** The next event, waiting up to {@link #KEEP_ALIVE}; null once the connection has ended. */
        Event next() throws InterruptedException;

        @Override
        void close();

        /**
         * Sends every event to {@code sink} until the connection ends, then closes the feed; the one
         * loop behind every adapter's {@code text/event-stream}. A sink that fails (the page went
         * away) ends it too.
         */
        default void forEach(EventSink sink) throws IOException, InterruptedException {
            try (this) {
                for (Event e = next(); e != null; e = next()) {
                    sink.send(e);
                }
            }
        }
    }

    /** The UI's path, normalised: "" for the root, otherwise with a leading slash and no trailing one. */
    String path();

    Content page();

    /** One of the page's files; empty for any other name. */
    Optional<Content> asset(String name);

    Content config();

    /** True when the icon option names a local file, served at {@code icon}. */
    boolean hasIcon();

    Content icon() throws IOException;

    /**
     * {@code POST input} with {@code {"webrtc_id": ..., "values": [...]}}: sets the inputs of a
     * connection of the request's client. Read the body with {@link RequestBody#read} and at most
     * {@link #MAX_INPUT_BYTES}.
     */
    HttpReply input(Request request, String requestBody);

    /**
     * The outputs feed of one connection, to send as server-sent events ({@code text/event-stream},
     * {@code Cache-Control: no-cache}, {@code X-Accel-Buffering: no}), or the JSON error to answer
     * instead when {@link OutputEvents#error()} is set.
     */
    OutputEvents outputs(Request request, String webrtcId);

    /**
     * Where a {@code GET} of the page at {@code requestPath} must be redirected, or null when it is
     * served: the page is served under a trailing slash, so its relative links work behind any prefix.
     */
    static String redirect(String requestPath, String query) {
        if (requestPath.endsWith("/")) {
            return null;
        }
        String last = requestPath.substring(requestPath.lastIndexOf('/') + 1);
        return last + "/" + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /** The answer to an unknown asset name. */
    static HttpReply noAsset(String name) {
        return HttpReply.error(404, "not_found", "no asset named " + name);
    }

    /** "" for the root; otherwise a leading slash and no trailing one. */
    static String normalise(String path) {
        if (path == null) {
            return "";
        }
        String p = path.replaceAll("/+", "/");
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : p.startsWith("/") ? p : "/" + p;
    }
}
