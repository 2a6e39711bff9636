package io.fastrtc.stream;

import io.fastrtc.protocol.Json;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.ProtocolException;
import java.util.Map;

/** Why a new session was not admitted, with the reply that says so. */
final class Refused extends Exception {
    private final HttpReply reply;

    Refused(String code, Map<String, Object> meta) {
        this(HttpReply.failed(code, meta));
    }

    Refused(HttpReply reply) {
        super(null, null, false, false);
        this.reply = reply;
    }

    HttpReply reply() {
        return reply;
    }

    /** The failure code ({@code meta.error}), for transports that answer with something else than the reply. */
    String code() {
        return codeOf(reply);
    }

    /** A reply's failure code ({@code meta.error}); null for a success. */
    static String codeOf(HttpReply reply) {
        // Failures are written status first; an answer (a whole SDP) is not parsed for nothing.
        if (reply.status() < 400 && !reply.body().startsWith("{\"status\":\"failed\"")) {
            return null;
        }
        try {
            return Json.parse(reply.body()).path("meta").path("error").asText("");
        } catch (ProtocolException e) {
            return "";
        }
    }
}
