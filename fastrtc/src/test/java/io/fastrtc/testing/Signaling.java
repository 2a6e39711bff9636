package io.fastrtc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** FastRTC's HTTP signaling, as a client speaks it: POST the offer, get the answer. */
public final class Signaling {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Signaling() {
    }

    /** A reply: HTTP status and parsed JSON body. */
    public record Reply(int status, JsonNode json) {
        public boolean isAnswer() {
            return status == 200 && "answer".equals(json.path("type").asText());
        }

        public String error() {
            return json.path("meta").path("error").asText(null);
        }
    }

    public static Reply post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return reply(response);
    }

    private static Reply reply(HttpResponse<String> response) {
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (Exception e) {
            json = JSON.createObjectNode().put("raw", response.body());
        }
        return new Reply(response.statusCode(), json);
    }

    public static Reply get(String url) throws Exception {
        return reply(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    public static Reply offer(String url, String webrtcId, String sdp) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sdp", sdp);
        body.put("type", "offer");
        body.put("webrtc_id", webrtcId);
        return post(url, JSON.writeValueAsString(body));
    }

    /** Offers, applies the answer, and waits for the connection; returns the reply either way. */
    public static Reply connect(TestPeer peer, String url, String webrtcId) throws Exception {
        Reply reply = offer(url, webrtcId, peer.offer());
        if (reply.isAnswer()) {
            peer.accept(reply.json().get("sdp").asText());
        }
        return reply;
    }
}
