package io.fastrtc.credentials;

import io.fastrtc.ice.IceServer;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.internal.HmacSha1;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Time-limited credentials for your own TURN server, derived locally from the secret it shares
 * with you: coturn's {@code use-auth-secret} / {@code static-auth-secret} (the "TURN REST API"
 * scheme). No network call: {@code username = "<unix expiry>:<user>"},
 * {@code credential = base64(HMAC-SHA1(secret, username))}; the server rejects the pair once the
 * expiry has passed.
 *
 * <pre>{@code
 * CoturnSecret turn = CoturnSecret.of(System.getenv("TURN_SECRET"), "turn:turn.example.com:3478");
 * Stream.builder().rtcConfiguration(turn::fetch)...
 * }</pre>
 */
public final class CoturnSecret implements TurnCredentials {

    /** The user part of the username when none is given. */
    public static final String DEFAULT_USER = "fastrtc";

    private final HmacSha1 key;
    private final List<String> urls;
    private final Clock clock;

    CoturnSecret(String secret, List<String> urls, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the TURN secret is empty: pass the server's static-auth-secret");
        }
        this.key = new HmacSha1(secret);
        this.urls = new IceServer(urls, null, null).urls(); // checks the URLs now, not on first use
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Credentials for the TURN server(s) at {@code urls}, e.g. {@code "turn:turn.example.com:3478"}. */
    public static CoturnSecret of(String secret, String... urls) {
        return new CoturnSecret(secret, List.of(urls), Clock.systemUTC());
    }

    /**
     * Credentials for {@code user} (shown in the server's logs; may be empty) that expire
     * {@code ttl} from now.
     */
    public RtcConfiguration credentials(String user, Duration ttl) {
        Objects.requireNonNull(user, "user");
        long expiry = clock.instant().getEpochSecond() + Calls.seconds(ttl);
        String username = user.isEmpty() ? Long.toString(expiry) : expiry + ":" + user;
        return RtcConfiguration.of(new IceServer(urls, username, credential(username)));
    }

    /** The credential coturn expects for {@code username}. */
    String credential(String username) {
        return key.base64(username);
    }

    /** Credentials for {@link #DEFAULT_USER}. */
    @Override
    public RtcConfiguration fetch(Duration ttl) {
        return credentials(DEFAULT_USER, ttl);
    }

    @Override
    public CompletableFuture<RtcConfiguration> fetchAsync(Duration ttl) {
        return CompletableFuture.completedFuture(fetch(ttl));
    }
}
