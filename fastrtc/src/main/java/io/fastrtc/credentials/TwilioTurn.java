package io.fastrtc.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.protocol.Json;
import io.fastrtc.transport.ProtocolException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * TURN credentials from Twilio's Network Traversal Service (FastRTC's {@code get_twilio_turn_credentials}):
 * {@code POST {baseUrl}/Accounts/{sid}/Tokens.json} with HTTP Basic {@code sid:authToken} and form
 * field {@code Ttl}. Twilio's {@code ice_servers} become {@code iceServers}, and, as in FastRTC, the
 * configuration is relay-only.
 *
 * <p>The account SID and auth token are the ones given; if neither is given, both come from
 * {@code TWILIO_ACCOUNT_SID} and {@code TWILIO_AUTH_TOKEN}. Unlike FastRTC, which leaves the TTL to
 * Twilio (24 hours), {@link #fetch()} asks for {@link #DEFAULT_TTL}, the lifetime of client
 * credentials the other helpers use.
 */
public final class TwilioTurn implements TurnCredentials {

    public static final String DEFAULT_BASE_URL = "https://api.twilio.com/2010-04-01";
    public static final String ACCOUNT_SID_ENV = "TWILIO_ACCOUNT_SID";
    public static final String AUTH_TOKEN_ENV = "TWILIO_AUTH_TOKEN";

    private final String accountSid;
    private final String authToken;
    private final String baseUrl;
    private final Duration timeout;

    private TwilioTurn(String accountSid, String authToken, String baseUrl, Duration timeout) {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /** Configured from {@code TWILIO_ACCOUNT_SID} and {@code TWILIO_AUTH_TOKEN}. */
    public static TwilioTurn fromEnv() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<RtcConfiguration> fetchAsync(Duration ttl) {
        String url = baseUrl + "/Accounts/" + URLEncoder.encode(accountSid, StandardCharsets.UTF_8) + "/Tokens.json";
        String basic = Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        var request = Calls.request(url, timeout)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Ttl=" + Calls.seconds(ttl)))
                .build();
        return Calls.fetch("Twilio", request, "the account SID (" + ACCOUNT_SID_ENV + ") and auth token ("
                + AUTH_TOKEN_ENV + ")", TwilioTurn::read);
    }

    /** Twilio's token resource to a relay-only configuration. */
    private static RtcConfiguration read(String body) {
        JsonNode token;
        try {
            token = Json.parse(body);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("the answer is not valid JSON", e);
        }
        JsonNode servers = token.path("ice_servers");
        if (!servers.isArray()) {
            throw new IllegalArgumentException("the answer has no \"ice_servers\" list");
        }
        return RtcConfiguration.fromJson(Json.write(Map.of("iceServers", Json.toJava(servers),
                "iceTransportPolicy", "relay")));
    }

    public static final class Builder extends ProviderBuilder<Builder> {
        private String accountSid;
        private String authToken;

        private Builder() {
            super(DEFAULT_BASE_URL);
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder accountSid(String sid) {
            this.accountSid = sid;
            return this;
        }

        public Builder authToken(String token) {
            this.authToken = token;
            return this;
        }

        /** @throws IllegalStateException naming the environment variables to set when something is missing */
        public TwilioTurn build() {
            String sid = accountSid;
            String token = authToken;
            if (isBlank(sid) && isBlank(token)) {
                sid = env(ACCOUNT_SID_ENV);
                token = env(AUTH_TOKEN_ENV);
            }
            requireBoth("Twilio TURN credentials need", sid, ACCOUNT_SID_ENV, token, AUTH_TOKEN_ENV,
                    "accountSid(...) and authToken(...)");
            return new TwilioTurn(sid.strip(), token.strip(), baseUrl, timeout);
        }

        private static boolean isBlank(String s) {
            return s == null || s.isBlank();
        }
    }
}
