package io.fastrtc.transport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the stream needs to know about an HTTP request or a WebSocket upgrade, whatever the server.
 *
 * @param scheme {@code "http"} or {@code "https"} as the server received the request ({@code "ws"}
 *     and {@code "wss"} are read as these); the client's scheme behind a proxy comes from
 *     {@code X-Forwarded-Proto}, see {@link #origin()}
 * @param path the request path, without the query
 * @param query the raw query string without {@code ?}, {@code ""} for none
 * @param headers every header with all its values; names are matched ignoring case
 * @param remoteAddress the address of the immediate client (a proxy, if there is one)
 * @param body the raw request body, {@code ""} for none (WebSocket upgrades)
 */
public record ClientRequest(String scheme, String path, String query, Map<String, List<String>> headers,
        String remoteAddress, String body) {

    public ClientRequest {
        scheme = normaliseScheme(scheme);
        path = path == null || path.isEmpty() ? "/" : path;
        query = query == null ? "" : query;
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
        body = body == null ? "" : body;
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> copy.merge(name, values == null ? List.of() : List.copyOf(values),
                    (a, b) -> {
                        List<String> both = new ArrayList<>(a);
                        both.addAll(b);
                        return List.copyOf(both);
                    }));
        }
        headers = Collections.unmodifiableMap(copy);
    }

    private static String normaliseScheme(String scheme) {
        String s = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "ws" -> "http";
            case "wss" -> "https";
            case "http", "https" -> s;
            default -> throw new IllegalArgumentException("scheme must be http, https, ws or wss; got \"" + scheme + "\"");
        };
    }

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The query parameters, decoded, in order. */
    public Map<String, List<String>> queryParams() {
        return decodeForm(query);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The body read as {@code application/x-www-form-urlencoded} (how Twilio posts its webhooks).
     *
     * @throws IllegalArgumentException if the body is not valid form encoding
     */
    public Map<String, List<String>> formParams() {
        return decodeForm(body);
    }

    /**
     * Scheme and host the client used, e.g. {@code "https://voice.example.com"}. Behind a reverse
     * proxy these come from {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (first value of
     * each); otherwise from the request and its {@code Host} header.
     */
    public String origin() {
        String proto = first(header("X-Forwarded-Proto"));
        String host = first(header("X-Forwarded-Host"));
        proto = proto == null ? scheme : switch (proto.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> "https";
            case "http", "ws" -> "http";
            default -> scheme; // not a scheme we serve: ignore the header
        };
        host = host == null ? header("Host") : host;
        return proto + "://" + (host == null ? "localhost" : host);
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

    private static Map<String, List<String>> decodeForm(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }
}
