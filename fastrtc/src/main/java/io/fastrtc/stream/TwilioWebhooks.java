package io.fastrtc.stream;

import io.fastrtc.protocol.Messages;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Request;
import io.fastrtc.security.TrustedProxies;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telephone.TwilioSignature;
import io.fastrtc.transport.HttpReply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of phone calls: the answer to Twilio's voice webhook and the signature checks.
 * A stream uses one per {@link TelephoneOptions}; the methods are transport-neutral.
 *
 * <p>The public origin (for the stream URL in the TwiML and the URL signatures are checked
 * against) is {@link TelephoneOptions#publicUrl()}; else, when the request comes from one of the
 * stream's trusted proxies, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (first values);
 * else the request's own: {@code http://} and its {@code Host} header. From anyone else the
 * forwarded headers are ignored: they would let a request Twilio signed for another URL (another
 * app's) pass here. A server that terminates TLS itself sets {@code publicUrl}.
 *
 * <p>Where we differ from FastRTC on purpose: the stream URL in the TwiML follows the scheme and
 * port the client used ({@code wss://} behind TLS or with {@code X-Forwarded-Proto: https},
 * {@code ws://host:port} for a plain local server) where FastRTC always writes {@code wss://} and
 * drops the port; the caller's {@code From} and the dialled {@code To} are passed to the stream as
 * {@code <Parameter>}s; and requests can be authenticated ({@link TelephoneOptions#authToken()}).
 */
final class TwilioWebhooks {

    public static final String INCOMING_PATH = "/telephone/incoming";
    public static final String HANDLER_PATH = "/telephone/handler";
    /** Webhook parameters passed on to the stream's {@code start.customParameters}. */
    private static final List<String> FORWARDED_PARAMETERS = List.of("From", "To");

    private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);

    private final TelephoneOptions options;
    private final TrustedProxies proxies;
    private final TwilioSignature signature;
    private final AtomicBoolean warnedUnsigned = new AtomicBoolean();
    private final AtomicBoolean warnedForwarded = new AtomicBoolean();

    /** Webhooks that believe no proxy's forwarded headers. */
    public TwilioWebhooks(TelephoneOptions options) {
        this(options, TrustedProxies.NONE);
    }

    /** Webhooks that believe {@code X-Forwarded-Proto}/{@code -Host} from {@code proxies} only. */
    public TwilioWebhooks(TelephoneOptions options, TrustedProxies proxies) {
        this.options = options;
        this.proxies = proxies;
        this.signature = options.authToken() == null ? null : new TwilioSignature(options.authToken());
    }

    public TelephoneOptions options() {
        return options;
    }

    /**
     * Checks the signature of {@code POST {path}/telephone/incoming} (URL and form parameters): true
     * if it is valid or none is required. A refusal is logged with the URL the signature was checked
     * against and how to fix the configuration; the caller is told only "forbidden".
     */
    public boolean acceptsWebhook(Request request, String body) {
        String url = origin(request) + request.path() + query(request);
        if (authentic(request, url, Request.parseQuery(body))) {
            return true;
        }
        refused("an incoming-call webhook", request, url);
        return false;
    }

    /**
     * Checks the Media Streams WebSocket handshake, which Twilio signs like a webhook without
     * parameters, over the {@code wss://} URL; a refusal is logged as for {@link #acceptsWebhook}.
     */
    public boolean acceptsStream(Request upgrade) {
        String url = socketOrigin(upgrade) + upgrade.path() + query(upgrade);
        if (authentic(upgrade, url, Map.of())) {
            return true;
        }
        refused("a Media Streams socket", upgrade, url);
        return false;
    }

    private static void refused(String what, Request request, String url) {
        LOG.warn("refused {} from {}: {} does not match {} (with this auth token). If Twilio signed it, it"
                + " requested another URL: set TelephoneOptions.publicUrl to the public origin, or name the proxy"
                + " in trustedProxies so that its X-Forwarded-Proto/-Host count", what, request.remoteAddress(),
                TwilioSignature.HEADER, url);
    }

    /**
     * The answer to {@code POST {path}/telephone/incoming} ({@code application/xml}): TwiML that
     * connects the call to {@code {path}/telephone/handler}, passing the caller's {@code From} and
     * the dialled {@code To} as stream parameters.
     */
    public HttpReply answer(Request request, String body) {
        Map<String, List<String>> form = Request.parseQuery(body);
        String prefix = request.path().endsWith(INCOMING_PATH)
                ? request.path().substring(0, request.path().length() - INCOMING_PATH.length()) : "";
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : FORWARDED_PARAMETERS) {
            List<String> values = form.get(name);
            if (values != null && !values.isEmpty()) {
                parameters.put(name, values.get(0));
            }
        }
        return new HttpReply(200, twiml(socketOrigin(request) + prefix + HANDLER_PATH, parameters),
                Map.of("Content-Type", "application/xml"));
    }

    private boolean authentic(Request request, String url, Map<String, List<String>> params) {
        if (signature == null) {
            if (warnedUnsigned.compareAndSet(false, true)) {
                LOG.warn("telephone requests are not authenticated; set TelephoneOptions.authToken to refuse forged"
                        + " webhooks");
            }
            return true;
        }
        return signature.isValid(request.header(TwilioSignature.HEADER), url, params);
    }

    /**
     * The query as Twilio sent it, rebuilt from the request view's decoded parameters: exact for
     * the plain characters webhook URLs use; a query with other escapes would not verify.
     */
    private static String query(Request request) {
        StringBuilder q = new StringBuilder();
        request.query().forEach((name, values) -> values.forEach(v -> q.append(q.length() == 0 ? '?' : '&')
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return q.toString();
    }

    private String origin(Request request) {
        if (options.publicUrl() != null) {
            return options.publicUrl();
        }
        String host = request.header("host");
        boolean https = false;
        String proto = first(request.header("x-forwarded-proto"));
        String forwardedHost = first(request.header("x-forwarded-host"));
        if (proxies.forwards(request)) {
            https = proto != null && (proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("wss"));
            host = forwardedHost != null ? forwardedHost : host;
        } else if ((proto != null || forwardedHost != null) && warnedForwarded.compareAndSet(false, true)) {
            LOG.warn("X-Forwarded-Proto/-Host on telephone requests from {} are ignored: it is not a trusted proxy."
                    + " Behind a proxy, set TelephoneOptions.publicUrl or name the proxy in trustedProxies",
                    request.remoteAddress());
        }
        return (https ? "https://" : "http://") + (host == null ? "localhost" : host);
    }

    /** The first entry of a comma-separated header value (proxies append theirs). */
    private static String first(String value) {
        if (value == null) {
            return null;
        }
        int comma = value.indexOf(',');
        String v = (comma < 0 ? value : value.substring(0, comma)).trim();
        return v.isEmpty() ? null : v;
    }

    private String socketOrigin(Request request) {
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

    /**
     * {@code POST {path}/telephone/incoming} for {@code stream} ({@link Stream#handleIncomingCall}):
     * the signature is checked if required, then the stream's authorizer decides, then the TwiML. A
     * draining runtime answers 503 {@code draining}.
     */
    HttpReply incomingCall(Stream stream, Request request, String body) {
        if (stream.isClosed()) {
            return HttpReply.failed(503, "stream_closed", "this stream is closed");
        }
        if (stream.runtime().isDraining()) {
            stream.refused(Transport.TELEPHONE, Messages.DRAINING);
            return Drain.refusal().reply(); // Twilio then tries the number's fallback URL, if one is set
        }
        String form = body == null ? "" : body;
        if (!acceptsWebhook(Objects.requireNonNull(request, "request"), form)) {
            return HttpReply.failed(403, "forbidden", "forbidden"); // why is in the log, not for the caller
        }
        try {
            stream.authorize(request);
        } catch (AccessDenied e) {
            return HttpReply.refused(e);
        }
        return answer(request, form);
    }
}
