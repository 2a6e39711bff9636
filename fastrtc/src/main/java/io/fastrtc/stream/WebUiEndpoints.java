package io.fastrtc.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.internal.Incidents;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.UiEndpoints;
import io.fastrtc.ui.AdditionalOutputsHandler;
import io.fastrtc.ui.Component;
import io.fastrtc.ui.UiOptions;
import io.fastrtc.protocol.Json;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.RequestBody;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web UI's answers ({@link UiEndpoints}) for one stream, UI path and options. */
final class WebUiEndpoints implements UiEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(WebUiEndpoints.class);
    private static final String RESOURCES = "/io/fastrtc/ui/web/";
    /** The page's files; nothing else is served from the classpath. */
    private static final List<String> ASSETS = List.of("app.js", "components.js", "dom.js", "media.js", "session.js",
            "toasts.js", "style.css");
    /** Content types of icon files, by extension (the platform's guess is the fallback). */
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "gif", "image/gif", "svg", "image/svg+xml", "webp", "image/webp");

    private final UiOptions options;
    private final Stream stream;
    private final Map<String, Refused> refusedBy = new ConcurrentHashMap<>();
    private final String path;
    private final Map<String, Content> assets = new LinkedHashMap<>();
    private final Content page;
    private final Content config;
    private final Path iconFile;

    WebUiEndpoints(Stream stream, UiOptions options, String uiPath, String streamPath) {
        this.options = options;
        this.stream = stream;
        this.path = UiEndpoints.normalise(uiPath);
        String streamPrefix = UiEndpoints.normalise(streamPath);
        for (String name : ASSETS) {
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            assets.put(name, new Content(type, resource(name), "no-cache"));
        }
        page = new Content("text/html; charset=utf-8", resource("index.html"), "no-cache");
        iconFile = localFile(options.icon());
        config = new Content("application/json", Json.write(config(relative(path, streamPrefix + "/webrtc/offer"),
                relative(path, streamPrefix + "/webrtc/rtc-configuration"))).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                null);
    }

    /** The UI's path, normalised: "" for the root, otherwise with a leading slash and no trailing one. */
    @Override
    public String path() {
        return path;
    }

    // ---- the page ----

    @Override
    public Content page() {
        return page;
    }

    /** One of the page's files; empty for any other name. */
    @Override
    public Optional<Content> asset(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    @Override
    public Content config() {
        return config;
    }

    /** True when the icon option names a local file, served at {@code icon}. */
    @Override
    public boolean hasIcon() {
        return iconFile != null;
    }

    @Override
    public Content icon() throws IOException {
        String name = iconFile.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = IMAGE_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            type = Files.probeContentType(iconFile);
        }
        return new Content(type != null ? type : "application/octet-stream", Files.readAllBytes(iconFile), null);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebUiEndpoints.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("web UI file " + RESOURCES + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The icon option names a local file (served at {@code icon}) rather than a URL. */
    private static Path localFile(String icon) {
        if (icon == null || icon.contains("://") || icon.startsWith("data:")) {
            return null;
        }
        try {
            Path p = Path.of(icon);
            return Files.isRegularFile(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private Map<String, Object> config(String offerUrl, String rtcConfigurationUrl) {
        List<Object> inputs = new ArrayList<>();
        for (Component c : stream.additionalInputs()) {
            inputs.add(c.describe());
        }
        List<Object> outputs = new ArrayList<>();
        for (Component c : stream.additionalOutputs()) {
            Map<String, Object> d = new LinkedHashMap<>(c.describe());
            int shared = indexOfSame(stream.additionalInputs(), c);
            if (shared >= 0) {
                d.put("input", shared); // shown once, as this output; its value is also that input
            }
            outputs.add(d);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modality", stream.modality().wireName());
        m.put("mode", stream.mode().wireName());
        m.put("inputs", inputs);
        m.put("outputs", outputs);
        m.put("timeLimit", stream.timeLimit() == null ? null : stream.timeLimit().toMillis() / 1000.0);
        m.put("concurrencyLimit", stream.concurrencyLimit());
        m.put("ui", options.toClient(iconFile != null ? "icon" : options.icon()));
        // Fetched again for every connection: TURN credentials from a provider are short-lived.
        m.put("rtcConfigurationUrl", rtcConfigurationUrl);
        m.put("offerUrl", offerUrl);
        return m;
    }

    /** The same instance, not an equal one: two textboxes labelled alike are still two components. */
    private static int indexOfSame(List<Component> list, Component c) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == c) {
                return i;
            }
        }
        return -1;
    }

    // ---- POST input ----

    /**
     * {@code POST input} with {@code {"webrtc_id": ..., "values": [...]}}: sets the inputs of a
     * connection of the request's client. Read the body with {@link RequestBody#read} and at most
     * {@link #MAX_INPUT_BYTES}.
     */
    @Override
    public HttpReply input(Request request, String requestBody) {
        Caller caller;
        JsonNode body;
        try {
            caller = stream.authorize(request);
            RequestBody.checkJson(request.header("content-type"));
            body = Json.parse(requestBody);
        } catch (AccessDenied e) {
            return HttpReply.error(e);
        } catch (ProtocolException e) {
            return HttpReply.error(e);
        }
        String webrtcId = body.path("webrtc_id").isTextual() ? body.get("webrtc_id").asText() : "";
        if (webrtcId.isEmpty()) {
            return error(422, "invalid_input", "webrtc_id must be the non-empty id the page sent with its offer");
        }
        if (!body.path("values").isArray()) {
            return error(422, "invalid_input", "values must be an array with one value per additional input");
        }
        List<Object> values = new ArrayList<>();
        body.get("values").forEach(v -> values.add(Json.toJava(v)));
        try {
            caller.setInput(webrtcId, values);
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("webrtc_id", webrtcId);
            ok.put("inputs", caller.inputs(webrtcId).asList());
            return HttpReply.ok(ok);
        } catch (UnknownConnectionException e) {
            return error(404, "unknown_connection", e.getMessage());
        } catch (InvalidInputException e) {
            return HttpReply.invalidInput(e.getMessage());
        } catch (IllegalStateException e) {
            return unreachable(webrtcId, e);
        }
    }

    /** The instance holding the connection could not be asked; what failed stays in the log. */
    private static HttpReply unreachable(String webrtcId, IllegalStateException e) {
        LOG.warn("{}: {}", webrtcId, e.getMessage());
        return error(503, "owner_unreachable", "the instance holding this connection did not answer");
    }

    private static HttpReply error(int status, String code, String message) {
        return HttpReply.error(status, code, message);
    }

    // ---- GET outputs (server-sent events) ----

    /**
     * The outputs feed of one connection, to send as server-sent events ({@code text/event-stream},
     * {@code Cache-Control: no-cache}, {@code X-Accel-Buffering: no}), or the JSON error to answer
     * instead when {@link OutputEvents#error()} is set.
     */
    @Override
    public OutputEvents outputs(Request request, String webrtcId) {
        Caller caller;
        try {
            caller = stream.authorize(request);
        } catch (AccessDenied e) {
            return new Feed(HttpReply.error(e));
        }
        if (webrtcId == null || webrtcId.isEmpty()) {
            return new Feed(error(422, "invalid_input",
                    "query parameter webrtc_id is missing: outputs?webrtc_id=<the id of the offer>"));
        }
        OutputFeed feed = null;
        try {
            // The feed first: it waits for a connection that does not exist yet, as clients subscribe as they connect.
            feed = caller.outputStream(webrtcId);
            return new Feed(webrtcId, initialValues(caller, webrtcId), feed);
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            return new Feed(refusal(webrtcId, e));
        }
    }

    /** Why a feed could not be opened, as the answer; anything unexpected is rethrown (a 500). */
    private static HttpReply refusal(String webrtcId, RuntimeException failure) {
        if (failure instanceof UnknownConnectionException) {
            return error(404, "unknown_connection", failure.getMessage());
        }
        if (failure instanceof AccessDenied denied) {
            return HttpReply.error(denied);
        }
        if (failure instanceof IllegalStateException unreachable) {
            return unreachable(webrtcId, unreachable);
        }
        throw failure;
    }

    /**
     * A connection's additional outputs as events: {@code event: output} with the JSON array of the
     * output components' new values, a keep-alive comment after {@link #KEEP_ALIVE} of silence, until
     * the connection ends. Close it when the client goes away.
     */
    private final class Feed implements OutputEvents {
        private final HttpReply error;
        private final String webrtcId;
        private final List<Object> current;
        private final OutputFeed feed;
        /** Output components (and -1, the whole event) of this connection whose unshowable values were logged. */
        private final Set<Integer> refused;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Feed(HttpReply error) {
            this.error = error;
            this.webrtcId = null;
            this.current = null;
            this.feed = null;
            this.refused = null;
        }

        private Feed(String webrtcId, List<Object> current, OutputFeed feed) {
            this.error = null;
            this.webrtcId = webrtcId;
            this.current = current;
            this.feed = feed;
            this.refused = refusedBy.compute(webrtcId, (id, r) -> (r == null ? new Refused() : r).open()).logged;
        }

        /** Why the feed could not be opened (answer it instead of events), or null. */
        @Override
        public HttpReply error() {
            return error;
        }

        /** The next event, waiting up to {@link #KEEP_ALIVE}; null once the connection has ended. */
        @Override
        public Event next() throws InterruptedException {
            AdditionalOutputs outputs = feed.poll(KEEP_ALIVE);
            if (outputs != null) {
                return event(this, outputs);
            }
            return feed.isFinished() ? null : new Event(null, "keep-alive");
        }

        @Override
        public void close() {
            if (feed != null && closed.compareAndSet(false, true)) {
                feed.close();
                refusedBy.computeIfPresent(webrtcId, (id, r) -> r.close() ? null : r);
            }
        }
    }

    /**
     * Per connection with open feeds: what was logged about values it cannot show, so that each
     * output component is logged once per connection, and forgotten with the connection's last feed.
     */
    private static final class Refused {
        private final Set<Integer> logged = ConcurrentHashMap.newKeySet();
        private int feeds; // guarded by the map's compute

        Refused open() {
            feeds++;
            return this;
        }

        /** True when this was the last feed. */
        boolean close() {
            return --feeds == 0;
        }
    }

    /** The output components' values before any output: their defaults, or the input's value when shared. */
    private List<Object> initialValues(Caller caller, String webrtcId) {
        List<Component> components = stream.additionalOutputs();
        List<Object> inputs = components.isEmpty() ? List.of() : caller.inputs(webrtcId).asList();
        List<Object> values = new ArrayList<>();
        for (Component c : components) {
            int shared = indexOfSame(stream.additionalInputs(), c);
            values.add(shared >= 0 && shared < inputs.size() ? inputs.get(shared) : c.defaultValue());
        }
        return values;
    }

    /**
     * Applies the outputs to the feed's current values and returns the event to send. A value an
     * output component cannot show leaves that component as it was and is logged once per connection
     * and component (the handler would otherwise log on every event); a failing outputs handler sends an
     * {@code output-error} with an error id only, as its message is not for the client.
     */
    private Event event(Feed feed, AdditionalOutputs outputs) {
        List<Component> components = stream.additionalOutputs();
        List<?> next;
        try {
            next = next(feed.current, outputs);
        } catch (Exception e) {
            String incident = Incidents.newId();
            LOG.warn("{}: the outputs handler failed [error id {}]", feed.webrtcId, incident, e);
            return new Event("output-error", Json.write(Map.of("message",
                    Incidents.message("the outputs could not be shown", incident))));
        }
        List<Object> shown = new ArrayList<>();
        for (int i = 0; i < next.size(); i++) {
            if (components.isEmpty()) {
                shown.add(next.get(i));
                continue;
            }
            Component c = components.get(i);
            try {
                shown.add(c.toClient(next.get(i)));
                feed.current.set(i, next.get(i));
            } catch (RuntimeException e) {
                shown.add(c.toClient(feed.current.get(i))); // shown before, so it can be shown again
                if (feed.refused.add(i)) {
                    LOG.warn("{}: {} '{}' cannot show the value given ({}); it keeps its last value, and further"
                            + " such values are not logged for this connection", feed.webrtcId, c.type(), c.label(),
                            e.getMessage());
                }
            }
        }
        try {
            return new Event("output", Json.write(shown));
        } catch (IllegalArgumentException e) {
            if (feed.refused.add(-1)) {
                LOG.warn("{}: additional outputs that are not JSON values are not sent ({}); further ones are"
                        + " not logged for this connection", feed.webrtcId, e.getMessage());
            }
            return new Event(null, "keep-alive");
        }
    }

    private List<?> next(List<Object> current, AdditionalOutputs outputs) throws Exception {
        AdditionalOutputsHandler handler = options.outputsHandler();
        int n = stream.additionalOutputs().size();
        if (handler == null) {
            if (n == 0) {
                return outputs.values();
            }
            List<Object> next = new ArrayList<>(current);
            for (int i = 0; i < Math.min(n, outputs.values().size()); i++) {
                next.set(i, outputs.get(i));
            }
            return next;
        }
        List<?> next = handler.apply(Collections.unmodifiableList(new ArrayList<>(current)), outputs);
        if (next == null || (n > 0 && next.size() != n)) {
            throw new IllegalStateException("the outputs handler must return one value per additional output ("
                    + n + "); got " + (next == null ? "null" : next.size() + " values"));
        }
        return next;
    }

    // ---- paths ----

    /** {@code target} (absolute) relative to the page's directory {@code uiPath + "/"}, so proxies may add a prefix. */
    static String relative(String uiPath, String target) {
        int depth = uiPath.isEmpty() ? 0 : uiPath.split("/").length - 1;
        return "../".repeat(depth) + target.substring(1);
    }
}
