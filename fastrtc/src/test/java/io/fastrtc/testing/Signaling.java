package io.fastrtc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FastRTC's HTTP signaling, as a client speaks it: POST the offer, get the answer. The static
 * methods are a client that keeps no cookies (a script); {@link #browser()} makes one that keeps
 * its own cookies and may add headers to every request, like a browser tab with its own profile.
 */
public final class Signaling {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Client PLAIN = Client.create(null);

    private Signaling() {
    }

    /** A reply: HTTP status, parsed JSON body (or {@code {"raw": text}}) and headers. */
    public record Reply(int status, JsonNode json, HttpHeaders headers) {
        public boolean isAnswer() {
            return status == 200 && "answer".equals(json.path("type").asText());
        }

        public String error() {
            return json.path("meta").path("error").asText(null);
        }

        /** The connection token an answer carries. */
        public String token() {
            return json.path("token").asText(null);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + json;
        }
    }

    /** A client with its own cookie jar. */
    public static Client browser() {
        return Client.create(new CookieManager());
    }

    public static Reply post(String url, String body) throws Exception {
        return PLAIN.post(url, body);
    }

    public static Reply get(String url) throws Exception {
        return PLAIN.get(url);
    }

    public static Reply offer(String url, String webrtcId, String sdp) throws Exception {
        return PLAIN.offer(url, webrtcId, sdp);
    }

    /** Offers, applies the answer, and waits for the connection; returns the reply either way. */
    public static Reply connect(TestPeer peer, String url, String webrtcId) throws Exception {
        return PLAIN.connect(peer, url, webrtcId);
    }

    /** The body of a trickled candidate. */
    public static String candidate(String webrtcId, String line) throws Exception {
        Map<String, Object> candidate = new LinkedHashMap<>();
        candidate.put("candidate", line);
        candidate.put("sdpMid", "0");
        candidate.put("sdpMLineIndex", 0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "ice-candidate");
        body.put("webrtc_id", webrtcId);
        body.put("candidate", candidate);
        return JSON.writeValueAsString(body);
    }

    /** One HTTP client: its cookies (if any) and the headers it adds to every request. */
    public static final class Client {
        private final HttpClient http;
        private final Map<String, String> headers;
        private final CookieManager cookies;

        private Client(HttpClient http, CookieManager cookies, Map<String, String> headers) {
            this.http = http;
            this.cookies = cookies;
            this.headers = Map.copyOf(headers);
        }

        static Client create(CookieManager cookies) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            return new Client((cookies == null ? b : b.cookieHandler(cookies)).build(), cookies, Map.of());
        }

        /** The same client (same cookies) also sending {@code name: value} on every request. */
        public Client withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Client(http, cookies, h);
        }

        /** The value of a cookie this client holds, or null. */
        public String cookie(String name) {
            return cookies == null ? null : cookies.getCookieStore().getCookies().stream()
                    .filter(c -> c.getName().equals(name)).map(java.net.HttpCookie::getValue).findFirst().orElse(null);
        }

        public Reply post(String url, String body) throws Exception {
            return send(request(url).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        public Reply get(String url) throws Exception {
            return send(request(url).GET());
        }

        public Reply offer(String url, String webrtcId, String sdp) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sdp", sdp);
            body.put("type", "offer");
            body.put("webrtc_id", webrtcId);
            return post(url, JSON.writeValueAsString(body));
        }

        /** Offers, applies the answer, and waits for the connection; returns the reply either way. */
        public Reply connect(TestPeer peer, String url, String webrtcId) throws Exception {
            Reply reply = offer(url, webrtcId, peer.offer());
            if (reply.isAnswer()) {
                peer.accept(reply.json().get("sdp").asText());
            }
            return reply;
        }

        /** Trickles one candidate line for {@code webrtcId}. */
        public Reply trickle(String url, String webrtcId, String line) throws Exception {
            return post(url, candidate(webrtcId, line));
        }

        private HttpRequest.Builder request(String url) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
            headers.forEach(b::header);
            return b;
        }

        private Reply send(HttpRequest.Builder request) throws Exception {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (Exception e) {
                json = null;
            }
            if (json == null) {
                json = JSON.createObjectNode().put("raw", response.body());
            }
            return new Reply(response.statusCode(), json, response.headers());
        }
    }
}
