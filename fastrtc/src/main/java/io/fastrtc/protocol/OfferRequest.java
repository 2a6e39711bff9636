package io.fastrtc.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.RequestBody;

/**
 * The body of {@code POST /webrtc/offer}: an SDP offer or a trickled ICE candidate.
 *
 * @param type {@code "offer"} or {@code "ice-candidate"}
 * @param webrtcId the client-chosen connection id
 * @param sdp the offer SDP (offers only)
 * @param candidate the candidate (candidates only)
 */
public record OfferRequest(String type, String webrtcId, String sdp, Candidate candidate) {

    /** Largest body accepted; a browser offer is 3-10 KB. */
    public static final int MAX_BODY_BYTES = RequestBody.MAX_OFFER_BYTES;
    public static final int MAX_ID_LENGTH = 128;

    /** A trickled candidate as the browser's {@code RTCIceCandidate.toJSON()} gives it. */
    public record Candidate(String candidate, String sdpMid, int sdpMLineIndex) {
    }

    public boolean isCandidate() {
        return "ice-candidate".equals(type);
    }

    public static OfferRequest parse(String body) throws ProtocolException {
        if (body == null || body.isBlank()) {
            throw new ProtocolException(422, "invalid_request", "request body is empty; send JSON with type, sdp and webrtc_id");
        }
        if (body.length() > MAX_BODY_BYTES) {
            throw new ProtocolException(413, "request_too_large", "request body has " + body.length()
                    + " characters; the limit is " + MAX_BODY_BYTES);
        }
        JsonNode root = Json.parse(body);
        if (!root.isObject()) {
            throw new ProtocolException(422, "invalid_request", "request body must be a JSON object");
        }
        String type = text(root, "type", true);
        String id = text(root, "webrtc_id", true);
        checkId(id);
        if ("ice-candidate".equals(type)) {
            JsonNode c = root.get("candidate");
            if (c == null || !c.isObject()) {
                throw new ProtocolException(422, "invalid_request", "field 'candidate' must be an object with"
                        + " candidate, sdpMid and sdpMLineIndex");
            }
            String line = text(c, "candidate", true);
            String mid = text(c, "sdpMid", false);
            JsonNode index = c.get("sdpMLineIndex");
            int mline = index != null && index.canConvertToInt() ? index.asInt() : 0;
            return new OfferRequest(type, id, null, new Candidate(line, mid, mline));
        }
        if (!"offer".equals(type)) {
            throw new ProtocolException(422, "invalid_request", "field 'type' is \"" + abbreviate(type)
                    + "\"; use \"offer\" or \"ice-candidate\"");
        }
        return new OfferRequest(type, id, text(root, "sdp", true), null);
    }

    /** Checks a client-chosen connection id (every transport uses the same rule). */
    public static void checkId(String id) throws ProtocolException {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new ProtocolException(422, "invalid_webrtc_id", "webrtc_id must have 1 to " + MAX_ID_LENGTH
                    + " characters; got " + id.length());
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch < 0x21 || ch > 0x7e) {
                throw new ProtocolException(422, "invalid_webrtc_id", "webrtc_id may only contain printable ASCII"
                        + " without spaces (found code " + (int) ch + " at position " + i + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, boolean required) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new ProtocolException(422, "invalid_request", "field '" + field + "' is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new ProtocolException(422, "invalid_request", "field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
