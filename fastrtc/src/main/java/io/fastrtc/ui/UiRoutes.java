package io.fastrtc.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.protocol.Json;
import io.fastrtc.protocol.HttpReply;
import io.fastrtc.protocol.ProtocolException;
import io.fastrtc.protocol.RequestBody;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.stream.Caller;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.transport.javalin.JavalinRoutes;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web UI's routes: the page and its files, its configuration, the input and output hooks. */
final class UiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(UiRoutes.class);
    private static final String RESOURCES = "/io/fastrtc/ui/web/";
    /** The page's files; nothing else is served from the classpath. */
    private static final List<String> ASSETS = List.of("app.js", "components.js", "dom.js", "media.js", "session.js",
            "toasts.js", "style.css");
    /** A comment is sent this long after the last event, so a vanished page is noticed and proxies keep the line open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Largest input body: inputs may carry a whole chat history. */
    static final int MAX_INPUT_BYTES = 256 * 1024;
    /** Content types of icon files, by extension (the platform's guess is the fallback). */
    private static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg",
            "jpeg", "image/jpeg", "gif", "image/gif", "svg", "image/svg+xml", "webp", "image/webp");

    private final WebUi ui;
    private final Stream stream;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    private final byte[] page;
    private final String config;
    private final Path iconFile;

    private UiRoutes(WebUi ui, String uiPath, String streamPath) {
        this.ui = ui;
        this.stream = ui.stream();
        for (String name : ASSETS) {
            assets.put(name, resource(name));
        }
        page = resource("index.html");
        iconFile = localFile(ui.options().icon());
        config = Json.write(config(relative(uiPath, streamPath + "/webrtc/offer"),
                relative(uiPath, streamPath + "/webrtc/rtc-configuration")));
    }

    static void mount(WebUi ui, JavalinDefaultRoutingApi routes, String path, String streamPath) {
        String prefix = normalise(path);
        UiRoutes r = new UiRoutes(ui, prefix, normalise(streamPath));
        if (!prefix.isEmpty()) {
            routes.get(prefix, r::page); // redirected to prefix + "/", where relative links work
        }
        routes.get(prefix + "/", r::page);
        routes.get(prefix + "/assets/{name}", r::asset);
        routes.get(prefix + "/config", ctx -> ctx.contentType("application/json").result(r.config));
        JavalinRoutes.route(routes, r.stream.cors(), HandlerType.POST, prefix + "/input", r::input);
        JavalinRoutes.route(routes, r.stream.cors(), HandlerType.GET, prefix + "/outputs", r::outputs);
        if (r.iconFile != null) {
            routes.get(prefix + "/icon", r::icon);
        }
    }

    // ---- the page ----

    private void page(Context ctx) {
        String path = ctx.path();
        if (!path.endsWith("/")) {
            String last = path.substring(path.lastIndexOf('/') + 1);
            ctx.redirect(last + "/" + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
            return;
        }
        ctx.header("Cache-Control", "no-cache").contentType("text/html; charset=utf-8").result(page);
    }

    private void asset(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] bytes = assets.get(name);
        if (bytes == null) {
            ctx.status(404).json(Map.of("error", "not_found", "message", "no asset named " + name));
            return;
        }
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        ctx.header("Cache-Control", "no-cache").contentType(type).result(bytes);
    }

    private void icon(Context ctx) throws IOException {
        String name = iconFile.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = IMAGE_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            type = Files.probeContentType(iconFile);
        }
        ctx.contentType(type != null ? type : "application/octet-stream").result(Files.readAllBytes(iconFile));
    }

    private static byte[] resource(String name) {
        try (InputStream in = UiRoutes.class.getResourceAsStream(RESOURCES + name)) {
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
        m.put("ui", ui.options().toClient(iconFile != null ? "icon" : ui.options().icon()));
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

    private void input(Context ctx) {
        Caller caller;
        JsonNode body;
        try {
            caller = stream.authorize(JavalinRoutes.request(ctx));
            RequestBody.checkJson(ctx.header("Content-Type"));
            body = Json.parse(JavalinRoutes.body(ctx, MAX_INPUT_BYTES));
        } catch (AccessDenied e) {
            JavalinRoutes.reply(ctx, e.errorReply());
            return;
        } catch (ProtocolException e) {
            error(ctx, e.status(), e.code(), e.getMessage());
            return;
        }
        String webrtcId = body.path("webrtc_id").isTextual() ? body.get("webrtc_id").asText() : "";
        if (webrtcId.isEmpty()) {
            error(ctx, 422, "invalid_input", "webrtc_id must be the non-empty id the page sent with its offer");
            return;
        }
        if (!body.path("values").isArray()) {
            error(ctx, 422, "invalid_input", "values must be an array with one value per additional input");
            return;
        }
        List<Object> values = new ArrayList<>();
        body.get("values").forEach(v -> values.add(Json.toJava(v)));
        try {
            caller.setInput(webrtcId, values);
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("webrtc_id", webrtcId);
            ok.put("inputs", caller.inputs(webrtcId).asList());
            ctx.contentType("application/json").result(Json.write(ok));
        } catch (UnknownConnectionException e) {
            error(ctx, 404, "unknown_connection", e.getMessage());
        } catch (IllegalArgumentException e) {
            error(ctx, 422, "invalid_input", e.getMessage()); // names the component and what it takes
        }
    }

    private static void error(Context ctx, int status, String code, String message) {
        JavalinRoutes.reply(ctx, new HttpReply(status, Json.write(Map.of("error", code, "message", message))));
    }

    // ---- GET outputs (server-sent events) ----

    /**
     * Streams the connection's additional outputs as {@code event: output} with the JSON array of the
     * output components' new values, until the connection ends. Written by hand rather than with
     * Javalin's {@code sse()} so that a bad id gets an ordinary JSON error. Only the connection's
     * owner is served; anyone else gets 404, as for an unknown id.
     */
    private void outputs(Context ctx) throws IOException {
        Caller caller;
        try {
            caller = stream.authorize(JavalinRoutes.request(ctx));
        } catch (AccessDenied e) {
            JavalinRoutes.reply(ctx, e.errorReply());
            return;
        }
        String webrtcId = ctx.queryParam("webrtc_id");
        if (webrtcId == null || webrtcId.isEmpty()) {
            error(ctx, 422, "invalid_input", "query parameter webrtc_id is missing: outputs?webrtc_id=<the id of the offer>");
            return;
        }
        OutputFeed feed;
        List<Object> current;
        try {
            current = initialValues(caller, webrtcId);
            feed = caller.outputStream(webrtcId);
        } catch (UnknownConnectionException e) {
            error(ctx, 404, "unknown_connection", e.getMessage());
            return;
        } catch (AccessDenied e) {
            JavalinRoutes.reply(ctx, e.errorReply());
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
        try (feed) {
            while (true) {
                AdditionalOutputs outputs = feed.poll(KEEP_ALIVE);
                if (outputs != null) {
                    send(out, event(webrtcId, current, outputs));
                } else if (feed.isFinished()) {
                    return;
                } else {
                    send(out, ": keep-alive\n\n");
                }
            }
        } catch (IOException e) {
            // the page went away; closing the feed is all there is to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // server stopping
        }
    }

    /** The output components' values before any output: their defaults, or the input's value when shared. */
    private List<Object> initialValues(Caller caller, String webrtcId) {
        List<Component> components = stream.additionalOutputs();
        List<Object> inputs = caller.inputs(webrtcId).asList();
        List<Object> values = new ArrayList<>();
        for (Component c : components) {
            int shared = indexOfSame(stream.additionalInputs(), c);
            values.add(shared >= 0 && shared < inputs.size() ? inputs.get(shared) : c.defaultValue());
        }
        return values;
    }

    /** Applies the outputs to {@code current} (updated in place) and returns the SSE event to send. */
    private String event(String webrtcId, List<Object> current, AdditionalOutputs outputs) {
        List<Component> components = stream.additionalOutputs();
        try {
            List<?> next = next(current, outputs);
            if (!components.isEmpty()) {
                for (int i = 0; i < next.size(); i++) {
                    current.set(i, next.get(i));
                }
            }
            List<Object> shown = new ArrayList<>();
            for (int i = 0; i < next.size(); i++) {
                shown.add(components.isEmpty() ? next.get(i) : components.get(i).toClient(next.get(i)));
            }
            return "event: output\ndata: " + Json.write(shown) + "\n\n";
        } catch (Exception e) {
            LOG.warn("{}: additional outputs could not be shown", webrtcId, e);
            String message = "Outputs could not be shown: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage());
            return "event: output-error\ndata: " + Json.write(Map.of("message", message)) + "\n\n";
        }
    }

    private List<?> next(List<Object> current, AdditionalOutputs outputs) throws Exception {
        AdditionalOutputsHandler handler = ui.options().outputsHandler();
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

    private static void send(ServletOutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- paths ----

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

    /** {@code target} (absolute) relative to the page's directory {@code uiPath + "/"}, so proxies may add a prefix. */
    static String relative(String uiPath, String target) {
        int depth = uiPath.isEmpty() ? 0 : uiPath.split("/").length - 1;
        return "../".repeat(depth) + target.substring(1);
    }
}
