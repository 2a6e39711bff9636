package io.fastrtc.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.cluster.Broker;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.protocol.Json;
import io.fastrtc.protocol.OfferRequest;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.ui.Component;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls one instance of a stream makes to the instance that owns a connection, through the
 * stream's {@link Broker}: the requests, how the owner serves them, and the answers. Values travel
 * as JSON, so every instance must run the same stream definition (the same components). Each
 * request carries its {@link Caller}'s identity, and the owner applies the ownership rule as it
 * would to a local request; the broker itself is trusted (it can speak for the application).
 */
final class Remote {

    private static final Logger LOG = LoggerFactory.getLogger(Remote.class);
    /** How long the owner has to answer, on top of any wait the call itself asks for. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);
    /** The owner's answer for an id it has claimed but holds no open session of (being admitted, or ended). */
    private static final String ABSENT = "absent";

    private final Stream stream;
    private final Broker broker;

    Remote(Stream stream, Broker broker) {
        this.stream = stream;
        this.broker = broker;
    }

    // ---- the asking side ----

    /** A trickled candidate for a connection elsewhere; null when no instance owns the id. */
    HttpReply candidate(Caller caller, String webrtcId, String body) {
        JsonNode answer = ask(webrtcId, message("candidate", caller, Map.of("body", body)), Duration.ZERO);
        return answer == null ? null : new HttpReply(answer.get("status").asInt(), answer.get("body").asText());
    }

    void setInput(Caller caller, String webrtcId, List<?> values) {
        String encoded;
        try {
            encoded = message("set_input", caller, Map.of("values", values));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("connection '" + webrtcId + "' lives on another instance, and inputs"
                    + " travel there as JSON: " + e.getMessage(), e);
        }
        check(webrtcId, ask(webrtcId, encoded, Duration.ZERO));
    }

    List<Object> inputs(Caller caller, String webrtcId) {
        return values(check(webrtcId, ask(webrtcId, message("inputs", caller, Map.of()), Duration.ZERO)).get("values"));
    }

    AdditionalOutputs latest(Caller caller, String webrtcId, Duration timeout) {
        JsonNode answer = check(webrtcId, ask(webrtcId, message("latest", caller, Map.of("millis", timeout.toMillis())),
                timeout));
        JsonNode values = answer.get("values");
        return values == null || values.isNull() ? null : new AdditionalOutputs(values(values));
    }

    void close(Caller caller, String webrtcId) {
        check(webrtcId, ask(webrtcId, message("close", caller, Map.of()), Duration.ZERO));
    }

    /** Whether the connection is open elsewhere and {@code caller} owns it. */
    boolean owns(Caller caller, String webrtcId) {
        try {
            return holds(caller, webrtcId);
        } catch (UnknownConnectionException e) {
            return false;
        }
    }

    /**
     * Whether another instance holds the connection, for {@code caller}: false if none does (it may
     * not exist yet).
     *
     * @throws UnknownConnectionException if one does but {@code caller} does not own it
     */
    boolean holds(Caller caller, String webrtcId) {
        JsonNode answer = ask(webrtcId, message("owns", caller, Map.of()), Duration.ZERO);
        if (answer == null || ABSENT.equals(answer.path("error").asText())) {
            return false;
        }
        check(webrtcId, answer);
        return true;
    }

    /**
     * The outputs of a connection elsewhere, as they are published; null when no instance holds the
     * id. The owner is asked first whether {@code caller} owns it (else UnknownConnectionException):
     * published events go to every subscriber.
     */
    OutputFeed outputs(Caller caller, String webrtcId) {
        if (!caller.isServer() && !holds(caller, webrtcId)) {
            return null;
        }
        Broker.Subscription[] subscription = new Broker.Subscription[1];
        OutputFeed feed = new OutputFeed(() -> {
            if (subscription[0] != null) {
                subscription[0].close();
            }
        });
        subscription[0] = broker.subscribe(webrtcId, event -> {
            try {
                feed.offer(new AdditionalOutputs(values(Json.parse(event).get("values"))));
            } catch (ProtocolException | RuntimeException e) {
                LOG.warn("{}: unreadable outputs from the owning instance dropped: {}", webrtcId, e.getMessage());
            }
        }, feed::end);
        return subscription[0] == null ? null : feed;
    }

    private JsonNode ask(String webrtcId, String message, Duration wait) {
        long limit = wait.plus(ANSWER_TIMEOUT).toMillis();
        try {
            String answer = broker.request(webrtcId, message).get(limit, TimeUnit.MILLISECONDS);
            return answer == null ? null : Json.parse(answer);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the instance owning connection '" + webrtcId + "' did not answer within "
                    + limit + " ms", e);
        } catch (ExecutionException | ProtocolException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("connection '" + webrtcId + "' lives on another instance, which could not"
                    + " be asked: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the instance owning '" + webrtcId + "'", e);
        }
    }

    /** The answer if it is a success; the owner's failure as the exception the local call would throw. */
    private static JsonNode check(String webrtcId, JsonNode answer) {
        String error = answer == null ? "unknown" : answer.path("error").asText("");
        if (error.equals("unknown") || error.equals(ABSENT)) {
            throw new UnknownConnectionException(webrtcId);
        }
        String message = answer.path("message").asText("");
        return switch (error) {
            case "" -> answer;
            case "invalid" -> throw new InvalidInputException(message);
            default -> throw new IllegalStateException("the instance owning '" + webrtcId + "' failed: " + message);
        };
    }

    // ---- the owning side ----

    /** Serves a request for one of this instance's connections (the stream's {@link Broker.Node}). */
    String serve(String webrtcId, String message) {
        Session session = stream.local(webrtcId);
        try {
            JsonNode m = Json.parse(message);
            String op = m.path("op").asText();
            Caller caller = Caller.of(stream, m.path("caller"));
            if (op.equals("candidate")) {
                OfferRequest request = OfferRequest.parse(m.path("body").asText());
                HttpReply reply = stream.offers().localCandidate(caller, request);
                return Json.write(Map.of("status", reply.status(), "body", reply.body()));
            }
            if (session == null) {
                return Json.write(Map.of("error", ABSENT)); // claimed here, but not open (yet, or any more)
            }
            if (!session.owner().admits(caller)) {
                return Json.write(Map.of("error", "unknown"));
            }
            return switch (op) {
                case "owns" -> ok(Map.of());
                case "set_input" -> {
                    session.setInputs(stream.coerceInputs(values(m.get("values"))));
                    yield ok(Map.of());
                }
                case "inputs" -> ok(Map.of("values", session.inputs().asList()));
                case "latest" -> {
                    AdditionalOutputs latest = session.outputs().latest(Duration.ofMillis(m.path("millis").asLong()));
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("values", latest == null ? null : portable(latest));
                    yield ok(answer);
                }
                case "close" -> {
                    session.close("closed by the server");
                    yield ok(Map.of());
                }
                default -> failure("failed", "unknown request '" + op + "'");
            };
        } catch (UnknownConnectionException e) {
            return Json.write(Map.of("error", "unknown"));
        } catch (InvalidInputException e) {
            return failure("invalid", e.getMessage());
        } catch (ProtocolException e) {
            return failure("failed", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure("failed", "the owning instance is stopping");
        } catch (RuntimeException e) {
            LOG.warn("{}: a request from another instance failed", webrtcId, e);
            return failure("failed", String.valueOf(e.getMessage()));
        }
    }

    /** Hands a connection's new outputs to subscribers on other instances. */
    void published(String webrtcId, AdditionalOutputs outputs) {
        String event;
        try {
            event = Json.write(Map.of("values", portable(outputs)));
        } catch (RuntimeException e) {
            LOG.debug("{}: outputs not sent to other instances: {}", webrtcId, e.getMessage());
            return;
        }
        broker.publish(webrtcId, event);
    }

    /**
     * The values as JSON can carry them: plain values as they are, others in their output component's
     * client form (an image becomes its data URL, which the component also accepts).
     */
    private List<Object> portable(AdditionalOutputs outputs) {
        List<Component> components = stream.additionalOutputs();
        List<Object> values = new ArrayList<>(outputs.values().size());
        for (int i = 0; i < outputs.values().size(); i++) {
            Object v = outputs.get(i);
            boolean plain = v == null || v instanceof String || v instanceof Number || v instanceof Boolean
                    || v instanceof Collection || v instanceof Map;
            values.add(plain || i >= components.size() ? v : components.get(i).toClient(v));
        }
        return values;
    }

    private static String message(String op, Caller caller, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("caller", caller.identity());
        m.putAll(fields);
        return Json.write(m);
    }

    private static String ok(Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", "ok");
        m.putAll(fields);
        return Json.write(m);
    }

    private static String failure(String error, String message) {
        return Json.write(Map.of("error", error, "message", message));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> values(JsonNode node) {
        Object v = node == null ? null : Json.toJava(node);
        return v instanceof List<?> list ? (List<Object>) list : List.of();
    }
}
