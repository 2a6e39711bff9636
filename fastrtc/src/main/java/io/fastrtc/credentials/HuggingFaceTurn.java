package io.fastrtc.credentials;

import io.fastrtc.ice.RtcConfiguration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * TURN credentials from FastRTC's credential service, paid for by a Hugging Face token
 * (FastRTC's {@code get_hf_turn_credentials}): {@code GET {baseUrl}/credentials?ttl=N} with
 * {@code Authorization: Bearer <token>}, answering {@code {"iceServers": [...]}}.
 *
 * <p>FastRTC marks its helper deprecated in favour of the Cloudflare one, which uses this same
 * service whenever a Hugging Face token is set ({@link CloudflareTurn}).
 */
public final class HuggingFaceTurn implements TurnCredentials {

    public static final String DEFAULT_BASE_URL = "https://turn.fastrtc.org";
    public static final String TOKEN_ENV = "HF_TOKEN";

    private final String token;
    private final String baseUrl;
    private final Duration timeout;

    HuggingFaceTurn(String token, String baseUrl, Duration timeout) {
        this.token = token;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /** Uses the token in {@code HF_TOKEN}. */
    public static HuggingFaceTurn fromEnv() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<RtcConfiguration> fetchAsync(Duration ttl) {
        var request = Calls.request(baseUrl + "/credentials?ttl=" + Calls.seconds(ttl), timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .GET().build();
        return Calls.fetch("the FastRTC TURN service", request, "the Hugging Face token (" + TOKEN_ENV + ")",
                RtcConfiguration::fromJson);
    }

    public static final class Builder extends ProviderBuilder<Builder> {
        private String token;

        private Builder() {
            super(DEFAULT_BASE_URL);
        }

        @Override
        Builder self() {
            return this;
        }

        /** A Hugging Face token; without one, {@code HF_TOKEN} is used. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** @throws IllegalStateException if no token was given and {@code HF_TOKEN} is not set */
        public HuggingFaceTurn build() {
            String t = token != null && !token.isBlank() ? token.strip() : env(TOKEN_ENV);
            if (t == null) {
                throw new IllegalStateException(TOKEN_ENV + " is not set: set the environment variable " + TOKEN_ENV
                        + " to a Hugging Face token, or pass token(...)");
            }
            return new HuggingFaceTurn(t, baseUrl, timeout);
        }
    }
}
