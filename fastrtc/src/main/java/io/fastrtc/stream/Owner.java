package io.fastrtc.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Who opened a session, and so who may reach its inputs and outputs afterwards.
 *
 * <p>A follow-up request owns the session if it shows the session's token; otherwise, with an
 * authorizer, if it has the opener's principal; without one, if it carries the client cookie the
 * opener carried, or, when the opener had no cookie yet, the cookie minted in its answer or no
 * cookie at all from the opener's address (a browser's candidates can race the answer that sets
 * the cookie; clients that keep no cookies stay at one address).
 *
 * @param principal the opener's principal; null without an authorizer
 * @param token the session's secret, sent with the answer
 * @param cookie the client cookie the opener carried or was given; null if neither
 * @param address the opener's address when it came without a cookie; null otherwise
 * @param mintedCookie true when {@code cookie} is new and must be set on the answer
 */
record Owner(String principal, String token, String cookie, String address, boolean mintedCookie) {

    /** The client cookie: one per browser, HttpOnly and same-site, only when there is no authorizer. */
    static final String COOKIE = "fastrtc_client";
    /** How a follow-up shows a session's token: this header, or query parameter {@link #TOKEN_PARAM}. */
    static final String TOKEN_HEADER = "X-FastRTC-Token";
    static final String TOKEN_PARAM = "fastrtc_token";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{22}");

    /** The owner of a session {@code opener} opens now; mints a client cookie when it needs one. */
    static Owner of(Caller opener, boolean cookies) {
        String token = newSecret();
        if (opener.principal().isPresent()) {
            return new Owner(opener.principal().orElse(null), token, null, null, false);
        }
        String cookie = opener.clientCookie();
        if (cookie != null) {
            return new Owner(null, token, cookie, null, false);
        }
        return new Owner(null, token, cookies ? newSecret() : null, opener.clientAddress(), cookies);
    }

    boolean admits(Caller caller) {
        if (caller.isServer() || (caller.token() != null && same(token, caller.token()))) {
            return true;
        }
        if (principal != null) {
            return caller.principal().filter(principal::equals).isPresent();
        }
        String shown = caller.clientCookie();
        if (shown != null) {
            return cookie != null && same(cookie, shown);
        }
        return address != null && address.equals(caller.clientAddress());
    }

    /** {@code Set-Cookie} for a minted cookie: session-long, invisible to scripts, never sent cross-site. */
    String setCookie(boolean https) {
        return COOKIE + "=" + cookie + "; Path=/; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    /** A well-formed secret (token or cookie), else null: whatever else a client sends is ignored. */
    static String validSecret(String value) {
        return value != null && SECRET.matcher(value).matches() ? value : null;
    }

    static String newSecret() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
