package io.fastrtc.ice;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.protocol.Json;
import io.fastrtc.transport.ProtocolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The ICE configuration a client should use: FastRTC's {@code rtc_configuration}, in the shape of a
 * browser's {@code RTCConfiguration}, so a front end can pass {@link #toJson()} straight to
 * {@code new RTCPeerConnection(...)}:
 *
 * <pre>{@code
 * {"iceServers":[{"urls":["turn:turn.example.com:3478"],"username":"u","credential":"c"}],
 *  "iceTransportPolicy":"relay"}
 * }</pre>
 *
 * <p>The credential helpers of {@code io.fastrtc.credentials} return this type; {@link #toIceConfig()}
 * turns it into the server side's {@link IceConfig}.
 *
 * @param iceServers STUN/TURN servers, possibly none (host candidates only)
 * @param iceTransportPolicy {@link IceConfig.TransportPolicy#RELAY} makes the client use TURN only
 */
public record RtcConfiguration(List<IceServer> iceServers, IceConfig.TransportPolicy iceTransportPolicy) {

    /** No ICE servers: clients use host candidates only (what a browser does without configuration). */
    public static final RtcConfiguration NONE = new RtcConfiguration(List.of(), IceConfig.TransportPolicy.ALL);

    public RtcConfiguration {
        iceServers = List.copyOf(Objects.requireNonNull(iceServers, "iceServers"));
        Objects.requireNonNull(iceTransportPolicy, "iceTransportPolicy");
    }

    public static RtcConfiguration of(IceServer... servers) {
        return new RtcConfiguration(List.of(servers), IceConfig.TransportPolicy.ALL);
    }

    public RtcConfiguration withIceTransportPolicy(IceConfig.TransportPolicy policy) {
        return new RtcConfiguration(iceServers, policy);
    }

    /** The same servers and policy for the server's own peer connections (FastRTC's {@code server_rtc_configuration}). */
    public IceConfig toIceConfig() {
        return IceConfig.DEFAULT.withIceServers(iceServers).withTransportPolicy(iceTransportPolicy);
    }

    /** Browser {@code RTCConfiguration} JSON; absent usernames and credentials are left out. */
    public String toJson() {
        List<Map<String, Object>> servers = new ArrayList<>();
        for (IceServer server : iceServers) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("urls", server.urls());
            if (server.username() != null) {
                s.put("username", server.username());
            }
            if (server.credential() != null) {
                s.put("credential", server.credential());
            }
            servers.add(s);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("iceServers", servers);
        json.put("iceTransportPolicy", iceTransportPolicy.name().toLowerCase(Locale.ROOT));
        return Json.write(json);
    }

    /**
     * Reads browser {@code RTCConfiguration} JSON (what Cloudflare and FastRTC's credential services
     * return): {@code urls} may be a string or a list; {@code iceTransportPolicy} defaults to
     * {@code "all"}; other members are ignored.
     *
     * @throws IllegalArgumentException saying what is missing or malformed
     */
    public static RtcConfiguration fromJson(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("the RTC configuration is not valid JSON", e);
        }
        JsonNode servers = root.path("iceServers");
        if (!servers.isArray()) {
            throw new IllegalArgumentException("the RTC configuration has no \"iceServers\" list");
        }
        List<IceServer> parsed = new ArrayList<>();
        for (JsonNode server : servers) {
            parsed.add(new IceServer(urls(server.path("urls")), text(server, "username"), text(server, "credential")));
        }
        return new RtcConfiguration(parsed, policy(root.path("iceTransportPolicy")));
    }

    private static List<String> urls(JsonNode urls) {
        if (urls.isTextual()) {
            return List.of(urls.asText());
        }
        if (!urls.isArray()) {
            throw new IllegalArgumentException("an ICE server has no \"urls\" (a string or a list of strings)");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode url : urls) {
            if (!url.isTextual()) {
                throw new IllegalArgumentException("ICE server URL " + url + " is not a string");
            }
            list.add(url.asText());
        }
        return list;
    }

    private static String text(JsonNode server, String field) {
        JsonNode value = server.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static IceConfig.TransportPolicy policy(JsonNode policy) {
        if (policy.isMissingNode() || policy.isNull()) {
            return IceConfig.TransportPolicy.ALL;
        }
        return switch (policy.asText()) {
            case "all" -> IceConfig.TransportPolicy.ALL;
            case "relay" -> IceConfig.TransportPolicy.RELAY;
            default -> throw new IllegalArgumentException("iceTransportPolicy " + policy
                    + " is not supported: use \"all\" or \"relay\"");
        };
    }
}
