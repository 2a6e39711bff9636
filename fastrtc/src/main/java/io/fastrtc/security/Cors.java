package io.fastrtc.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which other web origins may call the library's routes from a browser (CORS). Closed by default:
 * no {@code Access-Control-Allow-Origin} is ever sent, preflights are refused, so only pages of the
 * server's own origin can use the routes. Open it for front ends served elsewhere:
 * {@code Cors.allowOrigins("https://app.example.com")}.
 *
 * <p>Transport-neutral: adapters add {@link #headers(Request)} to every response of the library's
 * routes and answer {@code OPTIONS} with {@link #preflightHeaders(Request)}.
 *
 * @param origins allowed origins ({@code scheme://host[:port]}, lower case, default ports dropped), or {@code "*"}
 * @param credentials whether browsers may send cookies and {@code Authorization} cross-origin
 */
public record Cors(Set<String> origins, boolean credentials) {

    public static final Cors CLOSED = new Cors(Set.of(), false);
    private static final String MAX_AGE_SECONDS = "600";

    public Cors {
        origins = Set.copyOf(origins);
        if (credentials && origins.contains("*")) {
            throw new IllegalArgumentException("CORS credentials cannot be allowed for any origin (\"*\");"
                    + " list the origins instead");
        }
    }

    /**
     * Allows these origins, e.g. {@code "https://app.example.com"} or {@code "http://localhost:5173"};
     * {@code "*"} allows any origin (without credentials).
     */
    public static Cors allowOrigins(String... origins) {
        Set<String> normalised = new LinkedHashSet<>();
        for (String origin : origins) {
            normalised.add(origin.equals("*") ? "*" : normalise(origin));
        }
        return new Cors(normalised, false);
    }

    /** Lets browsers send cookies and credentials cross-origin (needed for a cookie-reading authorizer). */
    public Cors withCredentials() {
        return new Cors(origins, true);
    }

    public boolean isClosed() {
        return origins.isEmpty();
    }

    /** Whether {@code origin} (as a browser sends it in {@code Origin}) may call the routes. */
    public boolean allows(String origin) {
        if (origin == null || origins.isEmpty()) {
            return false;
        }
        if (origins.contains("*")) {
            return true;
        }
        try {
            return origins.contains(normalise(origin));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Headers for a response to {@code request}: empty unless it comes from an allowed origin. */
    public Map<String, String> headers(Request request) {
        String origin = request.header("origin");
        if (!allows(origin)) {
            return Map.of();
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (origins.contains("*")) {
            h.put("Access-Control-Allow-Origin", "*");
        } else {
            h.put("Access-Control-Allow-Origin", origin);
            h.put("Vary", "Origin");
        }
        if (credentials) {
            h.put("Access-Control-Allow-Credentials", "true");
        }
        h.put("Access-Control-Expose-Headers", "Retry-After");
        return h;
    }

    /**
     * The headers answering an {@code OPTIONS} preflight (the allowed methods and headers), or null
     * when the origin is not allowed; {@code HttpReply.preflight} makes the reply.
     */
    public Map<String, String> preflightHeaders(Request request) {
        if (!allows(request.header("origin"))) {
            return null;
        }
        Map<String, String> h = new LinkedHashMap<>(headers(request));
        h.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        String asked = request.header("access-control-request-headers");
        if (asked != null && !asked.isBlank()) {
            h.put("Access-Control-Allow-Headers", asked);
        }
        h.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        return h;
    }

    /**
     * Whether a request that browsers do not hold to CORS (a WebSocket upgrade) may proceed: it has
     * no {@code Origin} (not a browser), comes from the server's own origin, or from an allowed one.
     * The server's own host is the request's {@code Host}, or the {@code X-Forwarded-Host} of one of
     * {@code proxies} (anyone else could send that header to match a foreign {@code Origin}).
     */
    public boolean permits(Request request, TrustedProxies proxies) {
        String origin = request.header("origin");
        if (origin == null || allows(origin)) {
            return true;
        }
        String authority;
        String scheme;
        try {
            URI uri = new URI(origin);
            scheme = uri.getScheme();
            authority = uri.getRawAuthority();
        } catch (URISyntaxException e) {
            return false;
        }
        if (scheme == null || authority == null) {
            return false;
        }
        String own = stripDefaultPort(scheme, authority.toLowerCase(Locale.ROOT));
        for (String host : hosts(request, proxies)) {
            if (own.equals(stripDefaultPort(scheme, host.trim().toLowerCase(Locale.ROOT)))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> hosts(Request request, TrustedProxies proxies) {
        List<String> hosts = new java.util.ArrayList<>(request.headers("host"));
        if (proxies.forwards(request)) {
            for (String forwarded : request.headers("x-forwarded-host")) {
                hosts.addAll(List.of(forwarded.split(",")));
            }
        }
        return hosts;
    }

    static String normalise(String origin) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            throw invalid(origin);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw invalid(origin);
        }
        return scheme + "://" + stripDefaultPort(scheme, uri.getRawAuthority().toLowerCase(Locale.ROOT));
    }

    private static String stripDefaultPort(String scheme, String authority) {
        String suffix = "https".equalsIgnoreCase(scheme) ? ":443" : ":80";
        return authority.endsWith(suffix) ? authority.substring(0, authority.length() - suffix.length()) : authority;
    }

    private static IllegalArgumentException invalid(String origin) {
        return new IllegalArgumentException("\"" + origin + "\" is not an origin; write scheme://host[:port] without a"
                + " path, e.g. https://app.example.com");
    }
}
