package io.fastrtc.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.stream.Caller;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.UnknownConnectionException;
import io.fastrtc.javalin.FastRtcPlugin;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Input Hooks" from FastRTC's Core Concepts page: a {@code POST /input_hook} route that sets a
 * connection's additional inputs. The handler sees them on its next call. FastRTC's
 * {@code stream.set_input(...)} would let any client set anyone's inputs; here the route acts for
 * the request ({@link Stream#authorize}), so only the client that opened the connection reaches it
 * (any other gets 404, as for an unknown id; a refusal of the stream's authorizer gets its status).
 *
 * <pre>
 * POST /input_hook  {"webrtc_id": "k3j2h1", "threshold": 0.6}
 *   200 {"webrtc_id": "k3j2h1", "inputs": [0.6]}
 *   422 {"error": "invalid_input", "message": ...}      body, field or value is not acceptable
 *   404 {"error": "unknown_connection", "message": ...} no open connection has that webrtc_id
 * </pre>
 */
public final class InputHookExample {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InputHookExample() {
    }

    /** An app with the stream mounted and the hook; {@code fields} name the inputs in the body, in order. */
    public static Javalin create(Stream stream, String... fields) {
        return Javalin.create(cfg -> {
            cfg.registerPlugin(new FastRtcPlugin(stream));
            addRoute(cfg, stream, fields);
        });
    }

    /** Adds {@code POST /input_hook}, whose body carries {@code webrtc_id} and one field per additional input. */
    public static void addRoute(JavalinConfig cfg, Stream stream, String... fields) {
        List<String> names = List.of(fields);
        if (names.size() != stream.additionalInputs().size()) {
            throw new IllegalArgumentException("the stream has " + stream.additionalInputs().size()
                    + " additional inputs; name one body field for each, got " + names);
        }
        cfg.routes.post("/input_hook", ctx -> setInput(ctx, stream, names));
    }

    private static void setInput(Context ctx, Stream stream, List<String> fields) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            // Not Jackson's message: it quotes the body and names the parser's internals.
            invalid(ctx, "the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
            return;
        }
        if (body == null || !body.isObject()) {
            invalid(ctx, "the body must be a JSON object like {\"webrtc_id\": \"...\", "
                    + String.join(", ", fields.stream().map(f -> "\"" + f + "\": ...").toList()) + "}");
            return;
        }
        JsonNode id = body.get("webrtc_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            invalid(ctx, "webrtc_id must be the non-empty string the client sent with its offer");
            return;
        }
        List<Object> values = new ArrayList<>();
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                invalid(ctx, "field '" + field + "' is missing");
                return;
            }
            values.add(JSON.convertValue(value, Object.class));
        }
        String webrtcId = id.asText();
        Caller caller = stream.authorize(FastRtcPlugin.request(ctx));
        List<Object> applied;
        try {
            caller.setInput(webrtcId, values);
            applied = caller.inputs(webrtcId).asList();
        } catch (UnknownConnectionException e) {
            reply(ctx, 404, "unknown_connection", e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            invalid(ctx, e.getMessage()); // names the value and the component's range
            return;
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("webrtc_id", webrtcId);
        ok.put("inputs", applied);
        ctx.json(ok);
    }

    private static void invalid(Context ctx, String message) {
        reply(ctx, 422, "invalid_input", message);
    }

    private static void reply(Context ctx, int status, String error, String message) {
        ctx.status(status).json(Map.of("error", error, "message", message));
    }
}
