package io.fastrtc.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastrtc.ice.IceConfig;
import io.fastrtc.ice.IceServer;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.testing.Coturn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoturnSecretTest {

    static final String SECRET = "S3cret";

    @Test
    void derivesTheUsernameFromTheExpiryAndTheCredentialWithHmacSha1() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_795_610_001L), ZoneOffset.UTC);
        CoturnSecret turn = new CoturnSecret(SECRET, List.of("turn:10.0.0.1:3478", "turns:10.0.0.1:5349"), clock);

        RtcConfiguration config = turn.credentials("alice", Duration.ofSeconds(600));

        // Expected value from an independent implementation:
        // printf %s 1795610601:alice | openssl dgst -sha1 -hmac S3cret -binary | base64
        assertThat(config.iceServers()).containsExactly(new IceServer(
                List.of("turn:10.0.0.1:3478", "turns:10.0.0.1:5349"), "1795610601:alice", "dGmDAiOpu+ZZZHEcxSXS3twsEL8="));
        assertThat(config.iceTransportPolicy()).isEqualTo(IceConfig.TransportPolicy.ALL);
        assertThat(turn.credentials("", Duration.ofSeconds(1)).iceServers().get(0).username()).isEqualTo("1795610002");
        assertThat(turn.fetch().iceServers().get(0).username()).isEqualTo("1795610601:fastrtc");
        assertThat(turn.fetchAsync(Duration.ofHours(1)).join().iceServers().get(0).username())
                .isEqualTo("1795613601:fastrtc");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> CoturnSecret.of("", "turn:10.0.0.1:3478"))
                .hasMessageContaining("static-auth-secret");
        assertThatThrownBy(() -> CoturnSecret.of(SECRET, "10.0.0.1:3478"))
                .hasMessageContaining("'10.0.0.1:3478' must start with stun:, turn: or turns:");
        assertThatThrownBy(() -> CoturnSecret.of(SECRET)).hasMessageContaining("at least one URL");
        assertThatThrownBy(() -> CoturnSecret.of(SECRET, "turn:10.0.0.1").fetch(Duration.ZERO))
                .hasMessageContaining("ttl must be at least 1 second");
    }

    @Test
    void coturnAcceptsTheDerivedCredentialsAndRejectsTamperedOrExpiredOnes() throws Exception {
        assumeTrue(Coturn.binary().isPresent(), "turnserver is not installed: run scripts/setup (Debian package coturn)");
        try (Coturn coturn = Coturn.start(SECRET)) {
            IceServer fresh = CoturnSecret.of(SECRET, coturn.url()).credentials("alice", Duration.ofMinutes(10))
                    .iceServers().get(0);
            assertThat(coturn.relaysWith(fresh.username(), fresh.credential())).as(coturn.log()).isTrue();

            assertThat(coturn.relaysWith(fresh.username(), "x" + fresh.credential())).isFalse();
            IceServer otherSecret = CoturnSecret.of("other", coturn.url()).credentials("alice", Duration.ofMinutes(10))
                    .iceServers().get(0);
            assertThat(coturn.relaysWith(otherSecret.username(), otherSecret.credential())).isFalse();
            Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
            IceServer expired = new CoturnSecret(SECRET, List.of(coturn.url()), anHourAgo)
                    .credentials("alice", Duration.ofMinutes(10)).iceServers().get(0);
            assertThat(coturn.relaysWith(expired.username(), expired.credential())).isFalse();
        }
    }
}
