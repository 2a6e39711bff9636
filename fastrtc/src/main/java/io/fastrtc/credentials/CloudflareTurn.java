package io.fastrtc.credentials;

import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.protocol.Json;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * TURN credentials from Cloudflare Realtime (FastRTC's {@code get_cloudflare_turn_credentials}):
 * {@code POST {baseUrl}/turn/keys/{keyId}/credentials/generate-ice-servers} with
 * {@code Authorization: Bearer <apiToken>} and {@code {"ttl": N}}, answering 201
 * {@code {"iceServers": [...]}}.
 *
 * <p>Configuration is resolved as in FastRTC: a Hugging Face token ({@link Builder#hfToken} or
 * {@code HF_TOKEN}) takes precedence, and then the credentials come from FastRTC's service
 * ({@link HuggingFaceTurn}), even if Cloudflare keys are given; pass {@code hfToken("")} to ignore
 * {@code HF_TOKEN}. Otherwise the key id and API token are the ones given, or, if either is missing,
 * both come from {@code CLOUDFLARE_TURN_KEY_ID} and {@code CLOUDFLARE_TURN_KEY_API_TOKEN}.
 */
public final class CloudflareTurn implements TurnCredentials {

    public static final String DEFAULT_BASE_URL = "https://rtc.live.cloudflare.com/v1";
    public static final String KEY_ID_ENV = "CLOUDFLARE_TURN_KEY_ID";
    public static final String API_TOKEN_ENV = "CLOUDFLARE_TURN_KEY_API_TOKEN";

    private final TurnCredentials viaHuggingFace;
    private final String keyId;
    private final String apiToken;
    private final String baseUrl;
    private final Duration timeout;

    private CloudflareTurn(TurnCredentials viaHuggingFace, String keyId, String apiToken, String baseUrl,
                           Duration timeout) {
        this.viaHuggingFace = viaHuggingFace;
        this.keyId = keyId;
        this.apiToken = apiToken;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /** Configured from {@code HF_TOKEN}, or {@code CLOUDFLARE_TURN_KEY_ID} and {@code CLOUDFLARE_TURN_KEY_API_TOKEN}. */
    public static CloudflareTurn fromEnv() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<RtcConfiguration> fetchAsync(Duration ttl) {
        if (viaHuggingFace != null) {
            return viaHuggingFace.fetchAsync(ttl);
        }
        String url = baseUrl + "/turn/keys/" + URLEncoder.encode(keyId, StandardCharsets.UTF_8)
                + "/credentials/generate-ice-servers";
        var request = Calls.request(url, timeout)
                .header("Authorization", "Bearer " + apiToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("ttl", Calls.seconds(ttl)))))
                .build();
        return Calls.fetch("Cloudflare", request, "the TURN key id (" + KEY_ID_ENV + ") and its API token ("
                + API_TOKEN_ENV + ")", RtcConfiguration::fromJson);
    }

    public static final class Builder extends ProviderBuilder<Builder> {
        private String keyId;
        private String apiToken;
        private String hfToken;
        private String hfBaseUrl = HuggingFaceTurn.DEFAULT_BASE_URL;

        private Builder() {
            super(DEFAULT_BASE_URL);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The Cloudflare TURN key id. */
        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** The TURN key's API token. */
        public Builder apiToken(String apiToken) {
            this.apiToken = apiToken;
            return this;
        }

        /** A Hugging Face token, used instead of Cloudflare keys; {@code ""} ignores {@code HF_TOKEN}. */
        public Builder hfToken(String hfToken) {
            this.hfToken = hfToken;
            return this;
        }

        /** FastRTC's service, used with a Hugging Face token (default {@value HuggingFaceTurn#DEFAULT_BASE_URL}). */
        public Builder hfBaseUrl(String url) {
            this.hfBaseUrl = Calls.baseUrl(url);
            return this;
        }

        /** @throws IllegalStateException naming the environment variables to set when nothing is configured */
        public CloudflareTurn build() {
            String hf = hfToken != null ? hfToken.strip() : env(HuggingFaceTurn.TOKEN_ENV);
            if (hf != null && !hf.isEmpty()) {
                HuggingFaceTurn viaHf = HuggingFaceTurn.builder().token(hf).baseUrl(hfBaseUrl).timeout(timeout).build();
                return new CloudflareTurn(viaHf, null, null, null, timeout);
            }
            String id = keyId;
            String token = apiToken;
            if (id == null || token == null) {
                id = env(KEY_ID_ENV);
                token = env(API_TOKEN_ENV);
            }
            requireBoth("Cloudflare TURN credentials need " + HuggingFaceTurn.TOKEN_ENV + ", or", id, KEY_ID_ENV,
                    token, API_TOKEN_ENV, "keyId(...) and apiToken(...)");
            return new CloudflareTurn(null, id.strip(), token.strip(), baseUrl, timeout);
        }
    }
}
