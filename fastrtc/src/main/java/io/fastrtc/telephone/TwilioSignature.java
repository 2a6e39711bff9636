package io.fastrtc.telephone;

import io.fastrtc.internal.HmacSha1;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): base64 of the HMAC-SHA1, keyed with the
 * account's auth token, of the full URL Twilio requested followed by every POST parameter as name
 * and value, sorted by name (repeated names: each distinct value, sorted). Twilio signs its
 * webhooks and the Media Streams WebSocket handshake (URL only) this way.
 */
public final class TwilioSignature {

    public static final String HEADER = "X-Twilio-Signature";

    private final HmacSha1 hmac;

    /** @throws IllegalArgumentException if the token is null or empty */
    public TwilioSignature(String authToken) {
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalArgumentException("the Twilio auth token is empty: pass the token from the Twilio console"
                    + " (or TWILIO_AUTH_TOKEN)");
        }
        this.hmac = new HmacSha1(authToken);
    }

    /** The signature Twilio sends for a request to {@code url} with these POST parameters. */
    public String sign(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, List<String>> p : new TreeMap<>(params).entrySet()) {
            for (String value : new TreeSet<>(p.getValue())) {
                data.append(p.getKey()).append(value);
            }
        }
        return hmac.base64(data.toString());
    }

    /**
     * True if {@code signature} is Twilio's for this request, compared in constant time. As Twilio's
     * own validators do, the URL is also tried without its port and with the scheme's default port,
     * since proxies differ in whether they keep the port Twilio did or did not use.
     */
    public boolean isValid(String signature, String url, Map<String, List<String>> params) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        boolean valid = false;
        for (String candidate : portVariants(url)) {
            // No early exit: every variant is checked, so timing says nothing about which matched.
            valid |= MessageDigest.isEqual(given, sign(candidate, params).getBytes(StandardCharsets.UTF_8));
        }
        return valid;
    }

    /** {@code url} as given, without a port, and with its scheme's default port. */
    static Set<String> portVariants(String url) {
        Set<String> variants = new LinkedHashSet<>(List.of(url));
        int sep = url.indexOf("://");
        if (sep < 0) {
            return variants;
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        int start = sep + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        String authority = url.substring(start, end);
        int colon = authority.lastIndexOf(':');
        String host = colon >= 0 && colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
        String before = url.substring(0, start);
        String after = url.substring(end);
        variants.add(before + host + after);
        switch (scheme) {
            case "https", "wss" -> variants.add(before + host + ":443" + after);
            case "http", "ws" -> variants.add(before + host + ":80" + after);
            default -> {
            }
        }
        return variants;
    }
}
