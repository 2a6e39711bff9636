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
        try {
            return Json.parse(reply.body()).path("meta").path("error").asText("");
        } catch (ProtocolException e) {
            return "";
        }
    }
}
