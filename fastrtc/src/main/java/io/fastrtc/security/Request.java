package io.fastrtc.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the library sees of an HTTP request (or of a WebSocket upgrade), whatever the server:
 * the small, framework-independent view an {@link Authorizer} decides on. Adapters build it:
 * {@code FastRtcPlugin.request(ctx)} on Javalin, {@code FastRtcRoutes.request(servletRequest)} on
 * Spring MVC, the constructor elsewhere.
 *
 * @param method the HTTP method, upper case ({@code "GET"}, {@code "POST"}); empty if unknown
 * @param path the request path without the query string, e.g. {@code "/webrtc/offer"}
 * @param headers header values by lower-case name
 * @param cookies cookie values by name
 * @param query query parameter values by name (decoded)
 * @param remoteAddress the address of the immediate peer (a proxy, if there is one), or null if unknown
 */
public record Request(String method, String path, Map<String, List<String>> headers, Map<String, String> cookies,
        Map<String, List<String>> query, String remoteAddress) {

    /** A request about which nothing is known, for callers that have none to show. */
    public static final Request NONE = new Request("", "", Map.of(), Map.of(), Map.of(), null);

    public Request {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = path == null ? "" : path;
        Map<String, List<String>> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).addAll(values));
        }
        lower.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(lower);
        cookies = cookies == null ? Map.of() : Map.copyOf(cookies);
        query = copyOfLists(query);
    }

    /** The first value of a header (names are case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a header, in order; empty if absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** A cookie's value, or null. */
    public String cookie(String name) {
        return cookies.get(name);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    public String bearerToken() {
        String value = header("authorization");
        if (value == null || value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Parses {@code a=1&b=x%20y}; malformed escapes are kept as they are. */
    public static Map<String, List<String>> parseQuery(String queryString) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return query;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static Map<String, List<String>> copyOfLists(Map<String, List<String>> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
