package io.fastrtc.telephone;

import java.util.Locale;

/**
 * How a stream answers phone calls ({@code POST {path}/telephone/incoming} and the Media Streams
 * socket {@code {path}/telephone/handler}).
 *
 * <pre>{@code
 * Stream.builder()
 *     .audio(new ReplyOnPause(...))
 *     .telephone(TelephoneOptions.builder().authToken(System.getenv("TWILIO_AUTH_TOKEN")).build())
 *     .build();
 * }</pre>
 *
 * @param authToken the Twilio account's auth token; when set, requests without a valid
 *     {@code X-Twilio-Signature} are refused (the webhook with HTTP 403, the Media Streams socket with
 *     close code 1008) before the stream's authorizer is asked. Null accepts unsigned requests, as
 *     FastRTC does (a warning is logged).
 * @param publicUrl the origin Twilio reaches this server at, e.g. {@code "https://voice.example.com"},
 *     for the {@code wss://} URL in the TwiML and for checking signatures; null to take it from
 *     {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} or the request itself
 * @param greeting what Twilio says before connecting the call ({@code <Say>}); null for nothing
 * @param goodbye what Twilio says when the stream ends and the call goes on; null for nothing
 * @param onDtmf receives the keys the caller presses; null to ignore them
 */
public record TelephoneOptions(String authToken, String publicUrl, String greeting, String goodbye,
        DtmfListener onDtmf) {

    /** FastRTC's greeting. */
    public static final String DEFAULT_GREETING = "Connecting to the AI assistant.";
    public static final String DEFAULT_GOODBYE = "The call has been disconnected.";

    public TelephoneOptions {
        if (authToken != null && authToken.isEmpty()) {
            throw new IllegalArgumentException("authToken is empty; pass the Twilio auth token, or null to accept"
                    + " unsigned requests");
        }
        if (publicUrl != null) {
            publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
            String lower = publicUrl.toLowerCase(Locale.ROOT);
            int sep = lower.indexOf("://");
            if (!(lower.startsWith("https://") || lower.startsWith("http://")) || lower.indexOf('/', sep + 3) >= 0
                    || sep + 3 == lower.length()) {
                throw new IllegalArgumentException("publicUrl must be an origin such as \"https://voice.example.com\""
                        + " (scheme and host, no path); got \"" + publicUrl + "\"");
            }
        }
    }

    /** FastRTC's behaviour: its greeting and goodbye, unsigned requests accepted. */
    public static TelephoneOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TelephoneOptions}. */
    public static final class Builder {
        private String authToken;
        private String publicUrl;
        private String greeting = DEFAULT_GREETING;
        private String goodbye = DEFAULT_GOODBYE;
        private DtmfListener onDtmf;

        private Builder() {
        }

        public Builder authToken(String token) {
            this.authToken = token;
            return this;
        }

        public Builder publicUrl(String origin) {
            this.publicUrl = origin;
            return this;
        }

        public Builder greeting(String text) {
            this.greeting = text;
            return this;
        }

        public Builder goodbye(String text) {
            this.goodbye = text;
            return this;
        }

        public Builder onDtmf(DtmfListener listener) {
            this.onDtmf = listener;
            return this;
        }

        public TelephoneOptions build() {
            return new TelephoneOptions(authToken, publicUrl, greeting, goodbye, onDtmf);
        }
    }
}
