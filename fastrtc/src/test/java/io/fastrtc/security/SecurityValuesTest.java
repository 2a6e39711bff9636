package io.fastrtc.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.RequestBody;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request view, proxies, CORS decisions and body reading, without a server. */
class SecurityValuesTest {

    static Request request(Map<String, List<String>> headers, String remote) {
        return new Request("post", "/webrtc/offer", headers, Map.of(), Map.of(), remote);
    }

    @Test
    void theRequestViewIsCaseInsensitiveForHeadersAndDecodesTheQuery() {
        Request r = new Request("get", "/outputs", Map.of("Authorization", List.of("Bearer abc  "), "X-A", List.of("1", "2")),
                Map.of("SESSION", "s1"), Request.parseQuery("webrtc_id=a%20b&flag&x=%zz&x=2"), "10.0.0.9");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.header("authorization")).isEqualTo("Bearer abc  ");
        assertThat(r.bearerToken()).isEqualTo("abc");
        assertThat(r.headers("x-a")).containsExactly("1", "2");
        assertThat(r.header("missing")).isNull();
        assertThat(r.cookie("SESSION")).isEqualTo("s1");
        assertThat(r.queryParam("webrtc_id")).isEqualTo("a b");
        assertThat(r.queryParam("flag")).isEmpty();
        assertThat(r.query().get("x")).containsExactly("%zz", "2");
        assertThat(Request.NONE.bearerToken()).isNull();
        assertThat(request(Map.of("authorization", List.of("Basic eDp5")), null).bearerToken()).isNull();
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        Map<String, List<String>> forwarded = Map.of("X-Forwarded-For", List.of("203.0.113.7, 10.1.2.3"),
                "X-Forwarded-Proto", List.of("https"));
        assertThat(TrustedProxies.NONE.clientAddress(request(forwarded, "10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(TrustedProxies.NONE.isHttps(request(forwarded, "10.0.0.1"))).isFalse();
        TrustedProxies proxies = TrustedProxies.of("10.0.0.0/8");
        // The nearest hop that is not a proxy of ours: everything left of it could be made up.
        assertThat(proxies.clientAddress(request(forwarded, "10.0.0.1"))).isEqualTo("203.0.113.7");
        assertThat(proxies.isHttps(request(forwarded, "10.0.0.1"))).isTrue();
        assertThat(proxies.clientAddress(request(forwarded, "192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(proxies.clientAddress(request(Map.of("x-forwarded-for", List.of("evil.example")), "10.0.0.1")))
                .isEqualTo("10.0.0.1");
        assertThat(proxies.clientAddress(request(Map.of(), "10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(TrustedProxies.of("::1", "fd00::/8").trusts("fd12:3456::1")).isTrue();
        assertThat(TrustedProxies.of("::1").trusts("::ffff:127.0.0.1")).isFalse();
        assertThat(TrustedProxies.of("127.0.0.1").trusts("::ffff:127.0.0.1")).isTrue();
        assertThat(TrustedProxies.of("192.168.0.0/23").trusts("192.168.1.200")).isTrue();
        assertThat(TrustedProxies.of("192.168.0.0/23").trusts("192.168.2.1")).isFalse();
        assertThatThrownBy(() -> TrustedProxies.of("proxy.internal")).hasMessageContaining("no host names");
        assertThatThrownBy(() -> TrustedProxies.of("10.0.0.0/33")).hasMessageContaining("prefix length");
        // An IPv6 client is counted by its /64: it could otherwise rotate through its addresses.
        assertThat(TrustedProxies.rateKey("2001:db8:1:2:aaaa::1")).isEqualTo(TrustedProxies.rateKey("2001:db8:1:2::99"))
                .isNotEqualTo(TrustedProxies.rateKey("2001:db8:1:3::1"));
        assertThat(TrustedProxies.rateKey("198.51.100.4")).isEqualTo("198.51.100.4");
    }

    @Test
    void corsIsClosedByDefaultAndOpensOnlyForListedOrigins() {
        Request fromApp = request(Map.of("Origin", List.of("https://app.example.com"),
                "Access-Control-Request-Headers", List.of("content-type, x-fastrtc-token")), null);
        assertThat(Cors.CLOSED.headers(fromApp)).isEmpty();
        assertThat(HttpReply.preflight(Cors.CLOSED, fromApp).status()).isEqualTo(403);

        Cors cors = Cors.allowOrigins("HTTPS://App.Example.com:443/").withCredentials();
        assertThat(cors.origins()).containsExactly("https://app.example.com");
        assertThat(cors.headers(fromApp)).containsEntry("Access-Control-Allow-Origin", "https://app.example.com")
                .containsEntry("Vary", "Origin").containsEntry("Access-Control-Allow-Credentials", "true");
        HttpReply preflight = HttpReply.preflight(cors, fromApp);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers()).containsEntry("Access-Control-Allow-Headers", "content-type, x-fastrtc-token")
                .containsEntry("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        assertThat(cors.headers(request(Map.of("Origin", List.of("https://app.example.com.evil.net")), null))).isEmpty();
        assertThat(Cors.allowOrigins("*").headers(fromApp)).containsEntry("Access-Control-Allow-Origin", "*");
        assertThatThrownBy(() -> Cors.allowOrigins("*").withCredentials()).hasMessageContaining("list the origins");
        assertThatThrownBy(() -> Cors.allowOrigins("https://app.example.com/page")).hasMessageContaining("without a path");
        assertThatThrownBy(() -> Cors.allowOrigins("app.example.com")).hasMessageContaining("scheme://host");
    }

    @Test
    void aWebSocketUpgradeMustComeFromTheServersOwnOrAnAllowedOrigin() {
        TrustedProxies none = TrustedProxies.NONE;
        assertThat(Cors.CLOSED.permits(request(Map.of(), null), none)).as("not a browser").isTrue();
        assertThat(Cors.CLOSED.permits(request(Map.of("Origin", List.of("http://127.0.0.1:8000"),
                "Host", List.of("127.0.0.1:8000")), null), none)).isTrue();
        Map<String, List<String>> forwarded = Map.of("Origin", List.of("https://voice.example.com"),
                "Host", List.of("backend:8000"), "X-Forwarded-Host", List.of("voice.example.com:443"));
        assertThat(Cors.CLOSED.permits(request(forwarded, "10.0.0.1"), TrustedProxies.of("10.0.0.0/8")))
                .as("from a trusted proxy").isTrue();
        assertThat(Cors.CLOSED.permits(request(forwarded, "192.0.2.1"), TrustedProxies.of("10.0.0.0/8")))
                .as("from anyone else").isFalse();
        assertThat(Cors.CLOSED.permits(request(forwarded, "10.0.0.1"), none)).as("no proxy trusted").isFalse();
        assertThat(Cors.CLOSED.permits(request(Map.of("Origin", List.of("https://evil.example"),
                "Host", List.of("voice.example.com")), null), none)).isFalse();
        assertThat(Cors.allowOrigins("https://evil.example").permits(request(Map.of("Origin",
                List.of("https://evil.example"), "Host", List.of("voice.example.com")), null), none)).isTrue();
        assertThat(Cors.CLOSED.permits(request(Map.of("Origin", List.of("null"), "Host", List.of("a")), null), none))
                .isFalse();
    }

    @Test
    void bodiesAreReadWithinTheLimitAndOnlyAsUtf8Json() throws Exception {
        assertThat(RequestBody.read(new ByteArrayInputStream("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)), 100))
                .isEqualTo("{\"a\":\"é\"}");
        assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[101]), 100))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.status()).isEqualTo(413));
        assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[] {'"', (byte) 0xC3, '"'}), 100))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo("invalid_encoding"));
        RequestBody.checkJson(null);
        RequestBody.checkJson("application/json; charset=utf-8");
        RequestBody.checkJson("application/vnd.api+json");
        assertThatThrownBy(() -> RequestBody.checkJson("text/plain"))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> RequestBody.checkJson("application/x-www-form-urlencoded"))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void limitsAndRefusalsAreChecked() {
        assertThatThrownBy(() -> Limits.DEFAULT.withOffersPerMinute(0)).hasMessageContaining("offersPerMinute must be at least 1");
        assertThatThrownBy(() -> new AccessDenied(500, "x")).hasMessageContaining("400-499");
        AccessDenied denied = AccessDenied.forbidden("not on your plan");
        assertThat(denied.code()).isEqualTo("forbidden");
        assertThat(HttpReply.refused(denied).body())
                .isEqualTo("{\"status\":\"failed\",\"meta\":{\"error\":\"forbidden\",\"message\":\"not on your plan\"}}");
        assertThat(HttpReply.error(denied).status()).isEqualTo(403);
        assertThat(new AccessDenied(429, "slow down").code()).isEqualTo("rate_limited");
    }
}
