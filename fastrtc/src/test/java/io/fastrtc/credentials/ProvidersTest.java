package io.fastrtc.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.ice.IceConfig;
import io.fastrtc.ice.IceServer;
import io.fastrtc.ice.RtcConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP helpers against a local server answering in each provider's documented shapes. */
class ProvidersTest {

    /** Cloudflare's generate-ice-servers answer (201), as documented; the hosts are placeholders. */
    static final String CLOUDFLARE_ANSWER = """
            {"iceServers":[
              {"urls":["stun:stun.example.net:3478","stun:stun.example.net:53"]},
              {"urls":["turn:turn.example.net:3478?transport=udp","turn:turn.example.net:3478?transport=tcp",
                       "turns:turn.example.net:5349?transport=tcp"],
               "username":"bc91b63e2b5d759f","credential":"ebd71f1d3edbc2b0"}]}""";

    /** Twilio's Token resource (201), as documented. */
    static final String TWILIO_ANSWER = """
            {"account_sid":"ACaaaa","date_created":"Fri, 01 May 2020 01:42:57 +0000",
             "date_updated":"Fri, 01 May 2020 01:42:57 +0000","ttl":"600","username":"dc2d2894d5a9023620c467b0e71cfa6a35457e6679785ed6ae9856fe5bdfa269",
             "password":"tE2DajzSJwnsSbc123",
             "ice_servers":[
               {"url":"stun:stun.example.net:3478","urls":"stun:stun.example.net:3478"},
               {"url":"turn:turn.example.net:3478?transport=udp","urls":"turn:turn.example.net:3478?transport=udp",
                "username":"dc2d2894d5a9023620c467b0e71cfa6a35457e6679785ed6ae9856fe5bdfa269","credential":"tE2DajzSJwnsSbc123"},
               {"url":"turn:turn.example.net:443?transport=tcp","urls":"turn:turn.example.net:443?transport=tcp",
                "username":"dc2d2894d5a9023620c467b0e71cfa6a35457e6679785ed6ae9856fe5bdfa269","credential":"tE2DajzSJwnsSbc123"}]}""";

    /** Generous, so that a busy test machine is not mistaken for a slow provider. */
    static final Duration PATIENT = Duration.ofSeconds(60);

    FakeProvider provider;

    @BeforeEach
    void start() throws Exception {
        provider = new FakeProvider();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    CloudflareTurn.Builder cloudflare(Map<String, String> env) {
        return CloudflareTurn.builder().env(env::get).baseUrl(provider.url("/v1")).hfBaseUrl(provider.url("/hf"))
                .timeout(PATIENT);
    }

    // ---- Cloudflare ----

    @Test
    void cloudflarePostsTheTtlWithTheApiTokenAndReadsTheIceServers() {
        provider.answer(201, CLOUDFLARE_ANSWER);
        RtcConfiguration config = cloudflare(Map.of()).keyId("key-1").apiToken("tok").build().fetch();

        FakeProvider.Request request = provider.last();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/turn/keys/key-1/credentials/generate-ice-servers");
        assertThat(request.header("Authorization")).isEqualTo("Bearer tok");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo("{\"ttl\":600}");

        assertThat(config.iceTransportPolicy()).isEqualTo(IceConfig.TransportPolicy.ALL);
        assertThat(config.iceServers()).containsExactly(
                new IceServer(List.of("stun:stun.example.net:3478", "stun:stun.example.net:53"), null, null),
                new IceServer(List.of("turn:turn.example.net:3478?transport=udp",
                        "turn:turn.example.net:3478?transport=tcp", "turns:turn.example.net:5349?transport=tcp"),
                        "bc91b63e2b5d759f", "ebd71f1d3edbc2b0"));
    }

    @Test
    void cloudflareReadsBothKeysFromTheEnvironmentWhenOneArgumentIsMissing() throws Exception {
        provider.answer(201, CLOUDFLARE_ANSWER);
        CloudflareTurn turn = cloudflare(Map.of(CloudflareTurn.KEY_ID_ENV, "env-key",
                CloudflareTurn.API_TOKEN_ENV, "env-tok")).keyId("ignored-key").build();
        CompletableFuture<RtcConfiguration> future = turn.fetchAsync(Duration.ofHours(100));
        assertThat(future.get().iceServers()).hasSize(2);
        assertThat(provider.last().path()).isEqualTo("/v1/turn/keys/env-key/credentials/generate-ice-servers");
        assertThat(provider.last().header("Authorization")).isEqualTo("Bearer env-tok");
        assertThat(provider.last().body()).isEqualTo("{\"ttl\":360000}");
    }

    @Test
    void aHuggingFaceTokenTakesPrecedenceOverCloudflareKeysAsInFastRtc() {
        provider.answer(200, CLOUDFLARE_ANSWER);
        RtcConfiguration config = cloudflare(Map.of("HF_TOKEN", " hf_abc\n"))
                .keyId("key-1").apiToken("tok").build().fetch(Duration.ofSeconds(30));
        assertThat(config.iceServers()).hasSize(2);
        FakeProvider.Request request = provider.last();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/hf/credentials");
        assertThat(request.query()).isEqualTo("ttl=30");
        assertThat(request.header("Authorization")).isEqualTo("Bearer hf_abc");
    }

    @Test
    void anEmptyHfTokenArgumentIgnoresHfTokenInTheEnvironment() {
        provider.answer(201, CLOUDFLARE_ANSWER);
        cloudflare(Map.of("HF_TOKEN", "hf_abc")).hfToken("").keyId("key-1").apiToken("tok").build().fetch();
        assertThat(provider.last().path()).startsWith("/v1/turn/keys/key-1/");
    }

    @Test
    void theHuggingFacePathChecksTheStatusToo() {
        // FastRTC's sync Cloudflare helper returned the error body as if it were credentials.
        provider.answer(500, "{\"detail\":\"upstream unavailable\"}");
        CloudflareTurn turn = cloudflare(Map.of()).hfToken("hf_abc").build();
        assertThatThrownBy(turn::fetch).isInstanceOfSatisfying(TurnCredentialsException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.getMessage()).contains("HTTP 500").contains("upstream unavailable")
                    .contains("GET " + provider.url("/hf/credentials?ttl=600"));
        });
    }

    @Test
    void missingCloudflareConfigurationNamesTheVariablesToSet() {
        assertThatThrownBy(() -> cloudflare(Map.of()).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HF_TOKEN").hasMessageContaining("CLOUDFLARE_TURN_KEY_ID")
                .hasMessageContaining("missing: CLOUDFLARE_TURN_KEY_ID, CLOUDFLARE_TURN_KEY_API_TOKEN");
        assertThatThrownBy(() -> cloudflare(Map.of(CloudflareTurn.KEY_ID_ENV, "k", "HF_TOKEN", "  ")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing: CLOUDFLARE_TURN_KEY_API_TOKEN)");
    }

    @Test
    void aRefusedTokenReportsTheStatusTheBodyAndWhatToCheck() {
        provider.answer(401, "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}]}");
        CloudflareTurn turn = cloudflare(Map.of()).keyId("key-1").apiToken("bad").build();
        assertThatThrownBy(turn::fetch).isInstanceOfSatisfying(TurnCredentialsException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage())
                    .startsWith("Cloudflare refused POST " + provider.url("/v1/turn/keys/key-1/credentials/generate-ice-servers"))
                    .contains("HTTP 401 {\"success\":false,")
                    .contains("Authentication error")
                    .contains("check the TURN key id (CLOUDFLARE_TURN_KEY_ID) and its API token (CLOUDFLARE_TURN_KEY_API_TOKEN)")
                    .doesNotContain("Bearer");
        });
    }

    @Test
    void aLongErrorBodyIsShortenedAndAnEmptyOneSaidToBeEmpty() {
        provider.answer(502, "x".repeat(5000));
        CloudflareTurn turn = cloudflare(Map.of()).keyId("k").apiToken("t").build();
        assertThatThrownBy(turn::fetch).hasMessageContaining("HTTP 502 " + "x".repeat(200) + "…")
                .hasMessageNotContaining("x".repeat(201));
        provider.answer(503, "");
        assertThatThrownBy(turn::fetch).hasMessageContaining("HTTP 503 (empty body)");
    }

    @Test
    void malformedJsonIsReportedWithoutQuotingTheCredentials() {
        provider.answer(201, "{\"iceServers\":[{\"urls\":[\"turn:t.example.net\"],\"username\":\"secret-user\"");
        CloudflareTurn turn = cloudflare(Map.of()).keyId("k").apiToken("t").build();
        assertThatThrownBy(turn::fetch).isInstanceOfSatisfying(TurnCredentialsException.class, e -> {
            assertThat(e.status()).isEqualTo(201);
            assertThat(e.getMessage()).contains("Cloudflare answered POST").contains("with HTTP 201, but")
                    .contains("not valid JSON").contains("Content-Type application/json")
                    .doesNotContain("secret-user");
        });
    }

    @Test
    void anAnswerWithoutIceServersOrWithBadUrlsIsReported() {
        provider.answer(201, "{\"result\":{}}").contentType("text/plain");
        CloudflareTurn turn = cloudflare(Map.of()).keyId("k").apiToken("t").build();
        assertThatThrownBy(turn::fetch).hasMessageContaining("no \"iceServers\" list")
                .hasMessageContaining("Content-Type text/plain");
        provider.answer(201, "{\"iceServers\":[{\"urls\":[\"http://t.example.net\"]}]}");
        assertThatThrownBy(turn::fetch).hasMessageContaining("must start with stun:, turn: or turns:");
    }

    @Test
    void aSlowProviderTimesOutNamingTheUrlAndTheWait() {
        provider.hang();
        CloudflareTurn turn = cloudflare(Map.of()).keyId("k").apiToken("t").timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(turn::fetch).isInstanceOfSatisfying(TurnCredentialsException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).isEqualTo("no answer from Cloudflare (POST "
                    + provider.url("/v1/turn/keys/k/credentials/generate-ice-servers") + ") within 300 ms");
        });
    }

    @Test
    void anUnreachableProviderFailsTheFutureWithTheUrl() {
        String url = provider.url("/v1");
        provider.close(); // nothing listens on that port any more
        CloudflareTurn turn = CloudflareTurn.builder().env(k -> null).baseUrl(url).keyId("k").apiToken("t").build();
        CompletableFuture<RtcConfiguration> future = turn.fetchAsync();
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(TurnCredentialsException.class)
                .hasMessageStartingWith("could not reach Cloudflare (POST " + url + "/turn/keys/k/");
    }

    @Test
    void ttlAndBaseUrlAreChecked() {
        CloudflareTurn turn = cloudflare(Map.of()).keyId("k").apiToken("t").build();
        assertThatThrownBy(() -> turn.fetch(Duration.ofMillis(500))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> CloudflareTurn.builder().baseUrl("rtc.example.net/v1"))
                .hasMessageContaining("must start with https:// or http://");
    }

    // ---- Hugging Face ----

    @Test
    void huggingFaceGetsCredentialsWithTheToken() throws Exception {
        provider.answer(200, CLOUDFLARE_ANSWER);
        HuggingFaceTurn turn = HuggingFaceTurn.builder().env(Map.of("HF_TOKEN", "hf_env")::get)
                .baseUrl(provider.url("/")).timeout(PATIENT).build();
        assertThat(turn.fetchAsync(Duration.ofMinutes(2)).get().iceServers()).hasSize(2);
        assertThat(provider.last().path()).isEqualTo("/credentials");
        assertThat(provider.last().query()).isEqualTo("ttl=120");
        assertThat(provider.last().header("Authorization")).isEqualTo("Bearer hf_env");
    }

    @Test
    void huggingFaceErrors() {
        assertThatThrownBy(() -> HuggingFaceTurn.builder().env(k -> null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HF_TOKEN is not set: set the environment variable HF_TOKEN to a Hugging Face token,"
                        + " or pass token(...)");
        provider.answer(403, "{\"error\":\"Invalid token\"}");
        HuggingFaceTurn turn = HuggingFaceTurn.builder().token("hf_bad").baseUrl(provider.url("")).timeout(PATIENT).build();
        assertThatThrownBy(turn::fetch).isInstanceOfSatisfying(TurnCredentialsException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).contains("HTTP 403 {\"error\":\"Invalid token\"}")
                    .contains("check the Hugging Face token (HF_TOKEN)");
        });
    }

    // ---- Twilio ----

    TwilioTurn.Builder twilio(Map<String, String> env) {
        return TwilioTurn.builder().env(env::get).baseUrl(provider.url("/2010-04-01")).timeout(PATIENT);
    }

    @Test
    void twilioPostsTheTtlWithBasicAuthAndMakesARelayOnlyConfiguration() {
        provider.answer(201, TWILIO_ANSWER);
        RtcConfiguration config = twilio(Map.of("TWILIO_ACCOUNT_SID", "ACaaaa", "TWILIO_AUTH_TOKEN", "secret"))
                .build().fetch();

        FakeProvider.Request request = provider.last();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/ACaaaa/Tokens.json");
        assertThat(request.header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("ACaaaa:secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.body()).isEqualTo("Ttl=600");

        assertThat(config.iceTransportPolicy()).isEqualTo(IceConfig.TransportPolicy.RELAY);
        assertThat(config.iceServers()).hasSize(3);
        assertThat(config.iceServers().get(0)).isEqualTo(IceServer.of("stun:stun.example.net:3478"));
        assertThat(config.iceServers().get(2)).isEqualTo(IceServer.of("turn:turn.example.net:443?transport=tcp",
                "dc2d2894d5a9023620c467b0e71cfa6a35457e6679785ed6ae9856fe5bdfa269", "tE2DajzSJwnsSbc123"));
    }

    @Test
    void twilioErrors() {
        assertThatThrownBy(() -> twilio(Map.of()).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN");
        // As in FastRTC, the environment is used only when neither argument is given.
        assertThatThrownBy(() -> twilio(Map.of("TWILIO_AUTH_TOKEN", "env")).accountSid("AC1").build())
                .hasMessageContaining("missing: TWILIO_AUTH_TOKEN");

        provider.answer(401, "{\"code\":20003,\"message\":\"Authenticate\",\"more_info\":\"https://example.net/20003\","
                + "\"status\":401}");
        TwilioTurn turn = twilio(Map.of()).accountSid("AC1").authToken("bad").build();
        assertThatThrownBy(turn::fetch).hasMessageContaining("Twilio refused POST")
                .hasMessageContaining("HTTP 401 {\"code\":20003,\"message\":\"Authenticate\"")
                .hasMessageContaining("check the account SID (TWILIO_ACCOUNT_SID) and auth token (TWILIO_AUTH_TOKEN)");

        provider.answer(201, "{\"account_sid\":\"AC1\",\"password\":\"secret-pass\"}");
        assertThatThrownBy(turn::fetch).hasMessageContaining("no \"ice_servers\" list")
                .hasMessageNotContaining("secret-pass");
    }
}
