package io.fastrtc.telephone;

import io.fastrtc.protocol.HttpReply;
import io.fastrtc.transport.ClientRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of phone calls: the answer to Twilio's voice webhook and the signature checks.
 * A stream uses one per {@link TelephoneOptions}; the methods are transport-neutral.
 *
 * <p>Where we differ from FastRTC on purpose: the stream URL in the TwiML follows the scheme and
 * port the client used ({@code wss://} behind TLS or with {@code X-Forwarded-Proto: https},
 * {@code ws://host:port} for a plain local server) where FastRTC always writes {@code wss://} and
 * drops the port; the caller's {@code From} and the dialled {@code To} are passed to the stream as
 * {@code <Parameter>}s; and requests can be authenticated ({@link TelephoneOptions#authToken()}).
 */
public final class TwilioWebhooks {

    public static final String INCOMING_PATH = "/telephone/incoming";
    public static final String HANDLER_PATH = "/telephone/handler";
    /** Webhook parameters passed on to the stream's {@code start.customParameters}. */
    private static final List<String> FORWARDED_PARAMETERS = List.of("From", "To");

    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);

    private final TelephoneOptions options;
    private final TwilioSignature signature;
    private final AtomicBoolean warnedUnsigned = new AtomicBoolean();

    public TwilioWebhooks(TelephoneOptions options) {
        this.options = options;
        this.signature = options.authToken() == null ? null : new TwilioSignature(options.authToken());
    }

    public TelephoneOptions options() {
        return options;
    }

    /**
     * {@code POST {path}/telephone/incoming}: TwiML connecting the call to
     * {@code {path}/telephone/handler} ({@code application/xml}); HTTP 403 if the signature is
     * required and wrong, 400 if the body is not form-encoded.
     */
    public HttpReply incomingCall(ClientRequest request) {
        Map<String, List<String>> form;
        try {
            form = request.formParams();
        } catch (IllegalArgumentException e) {
            return HttpReply.failed(400, "invalid_request", "the body is not form-encoded: " + e.getMessage());
        }
        String url = origin(request) + request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
        if (!authentic(request, url, form)) {
            LOG.warn("refused an incoming-call webhook from {}: bad X-Twilio-Signature", request.remoteAddress());
            return HttpReply.failed(403, "invalid_signature", TwilioSignature.HEADER + " does not match " + url
                    + "; check the auth token, and publicUrl if a proxy rewrites the address");
        }
        String prefix = request.path().endsWith(INCOMING_PATH)
                ? request.path().substring(0, request.path().length() - INCOMING_PATH.length()) : "";
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : FORWARDED_PARAMETERS) {
            List<String> values = form.get(name);
            if (values != null && !values.isEmpty()) {
                parameters.put(name, values.get(0));
            }
        }
        return new HttpReply(200, twiml(socketOrigin(request) + prefix + HANDLER_PATH, parameters), "application/xml");
    }

    /**
     * Checks the Media Streams WebSocket handshake, which Twilio signs like a webhook without
     * parameters, over the {@code wss://} URL; null if it may proceed, otherwise why not.
     */
    public String refuseStream(ClientRequest upgrade) {
        String url = socketOrigin(upgrade) + upgrade.path() + (upgrade.query().isEmpty() ? "" : "?" + upgrade.query());
        return authentic(upgrade, url, Map.of()) ? null
                : TwilioSignature.HEADER + " does not match " + url + "; only Twilio may open this socket";
    }

    private boolean authentic(ClientRequest request, String url, Map<String, List<String>> params) {
        if (signature == null) {
            if (warnedUnsigned.compareAndSet(false, true)) {
                LOG.warn("telephone requests are not authenticated; set TelephoneOptions.authToken to refuse forged"
                        + " webhooks");
            }
            return true;
        }
        return signature.isValid(request.header(TwilioSignature.HEADER), url, params);
    }

    private String origin(ClientRequest request) {
        return options.publicUrl() != null ? options.publicUrl() : request.origin();
    }

    private String socketOrigin(ClientRequest request) {
        String origin = origin(request);
        return origin.regionMatches(true, 0, "https:", 0, 6) ? "wss" + origin.substring(5) : "ws" + origin.substring(4);
    }

    private String twiml(String streamUrl, Map<String, String> parameters) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
        say(xml, options.greeting());
        xml.append("<Connect><Stream url=\"").append(escape(streamUrl)).append('"');
        if (parameters.isEmpty()) {
            xml.append(" />");
        } else {
            xml.append('>');
            parameters.forEach((name, value) -> xml.append("<Parameter name=\"").append(escape(name))
                    .append("\" value=\"").append(escape(value)).append("\" />"));
            xml.append("</Stream>");
        }
        xml.append("</Connect>");
        say(xml, options.goodbye());
        return xml.append("</Response>").toString();
    }

    private static void say(StringBuilder xml, String text) {
        if (text != null && !text.isEmpty()) {
            xml.append("<Say>").append(escape(text)).append("</Say>");
        }
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c); // other control characters are not allowed in XML 1.0
                    }
                }
            }
        }
        return out.toString();
    }
}
