package io.fastrtc.credentials;

import io.fastrtc.ice.RtcConfiguration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A source of TURN credentials. Pass {@code turn::fetch} to {@code Stream.builder().rtcConfiguration(...)}
 * to hand every client fresh credentials.
 */
public interface TurnCredentials {

    /** FastRTC's default lifetime of client credentials: 10 minutes. */
    Duration DEFAULT_TTL = Duration.ofSeconds(600);

    /**
     * Credentials valid for {@code ttl} (whole seconds, at least 1). The future fails with a
     * {@link TurnCredentialsException} (wrapped in a {@code CompletionException}).
     */
    CompletableFuture<RtcConfiguration> fetchAsync(Duration ttl);

    /**
     * The same, waiting for the answer.
     *
     * @throws TurnCredentialsException naming the request and what went wrong
     */
    default RtcConfiguration fetch(Duration ttl) {
        return Calls.await(fetchAsync(ttl));
    }

    /** Credentials valid for {@link #DEFAULT_TTL}. */
    default RtcConfiguration fetch() {
        return fetch(DEFAULT_TTL);
    }

    /** Credentials valid for {@link #DEFAULT_TTL}. */
    default CompletableFuture<RtcConfiguration> fetchAsync() {
        return fetchAsync(DEFAULT_TTL);
    }
}
