package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.security.Request;
import io.fastrtc.security.TrustedProxies;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.telephone.TwilioSignature;
import io.fastrtc.transport.HttpReply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioWebhooksTest {

    static Request post(String path, Map<String, List<String>> headers) {
        return new Request("POST", path, headers, Map.of(), Map.of(), "10.0.0.9");
    }

    @Test
    void twimlFollowsTheOptionsAndEscapesWhatItQuotes() {
        TwilioWebhooks hooks = new TwilioWebhooks(TelephoneOptions.builder().greeting("Hi & welcome <3")
                .goodbye(null).publicUrl("https://voice.example.com/").build());
        HttpReply reply = hooks.answer(post("/v1/telephone/incoming", Map.of("Host", List.of("internal:8080"))),
                "From=%2B1%22%3E&CallSid=CA1");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/xml");
        assertThat(reply.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Say>Hi &amp; welcome &lt;3</Say><Connect><Stream url=\"wss://voice.example.com/v1/telephone/handler\">"
                + "<Parameter name=\"From\" value=\"+1&quot;&gt;\" /></Stream></Connect></Response>");
    }

    @Test
    void theStreamUrlFollowsTrustedProxiesAndThePortOfAPlainServer() {
        TwilioWebhooks hooks = new TwilioWebhooks(TelephoneOptions.defaults(), TrustedProxies.of("10.0.0.0/8"));
        assertThat(hooks.answer(post("/telephone/incoming", Map.of("host", List.of("127.0.0.1:7860"))), "").body())
                .contains("url=\"ws://127.0.0.1:7860/telephone/handler\" />");
        assertThat(hooks.answer(post("/telephone/incoming", Map.of("Host", List.of("10.0.0.2:80"),
                "X-Forwarded-Proto", List.of("https, http"), "X-Forwarded-Host", List.of("a.example.org, proxy"))), "")
                .body()).contains("url=\"wss://a.example.org/telephone/handler\"");
        assertThat(hooks.answer(post("/telephone/incoming", Map.of("Host", List.of("h"),
                "X-Forwarded-Proto", List.of("gopher"))), "").body()).contains("url=\"ws://h/telephone/handler\"");
    }

    @Test
    void forwardedHeadersCountOnlyFromTrustedProxies() {
        TwilioSignature twilio = new TwilioSignature("tok");
        Map<String, List<String>> form = Map.of("CallSid", List.of("CA1"));
        // Signed by Twilio for another app's URL, replayed here with headers that name that URL.
        String elsewhere = twilio.sign("https://other-app.example.com/telephone/incoming", form);
        Map<String, List<String>> replayed = Map.of("Host", List.of("127.0.0.1:7860"),
                "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("other-app.example.com"),
                TwilioSignature.HEADER, List.of(elsewhere));
        TelephoneOptions signed = TelephoneOptions.builder().authToken("tok").build();
        assertThat(new TwilioWebhooks(signed).acceptsWebhook(post("/telephone/incoming", replayed), "CallSid=CA1"))
                .as("no trusted proxy: the request's own URL counts").isFalse();
        assertThat(new TwilioWebhooks(signed, TrustedProxies.of("192.168.0.0/16"))
                .acceptsWebhook(post("/telephone/incoming", replayed), "CallSid=CA1"))
                .as("a peer that is not one of the trusted proxies").isFalse();
        assertThat(new TwilioWebhooks(signed, TrustedProxies.of("10.0.0.9"))
                .acceptsWebhook(post("/telephone/incoming", replayed), "CallSid=CA1"))
                .as("from the trusted proxy, its headers name the public URL").isTrue();
        String own = twilio.sign("http://127.0.0.1:7860/telephone/incoming", form);
        assertThat(new TwilioWebhooks(signed).acceptsWebhook(post("/telephone/incoming",
                Map.of("Host", List.of("127.0.0.1:7860"), TwilioSignature.HEADER, List.of(own))), "CallSid=CA1")).isTrue();

        String socketElsewhere = twilio.sign("wss://other-app.example.com/telephone/handler", Map.of());
        Map<String, List<String>> upgrade = new java.util.HashMap<>(replayed);
        upgrade.put(TwilioSignature.HEADER, List.of(socketElsewhere));
        assertThat(new TwilioWebhooks(signed).acceptsStream(new Request("GET", "/telephone/handler", upgrade, Map.of(),
                Map.of(), "10.0.0.9"))).isFalse();
        assertThat(new TwilioWebhooks(signed, TrustedProxies.of("10.0.0.9")).acceptsStream(new Request("GET",
                "/telephone/handler", upgrade, Map.of(), Map.of(), "10.0.0.9"))).isTrue();
        assertThat(new TwilioWebhooks(TelephoneOptions.defaults()).answer(post("/telephone/incoming", replayed), "")
                .body()).contains("url=\"ws://127.0.0.1:7860/telephone/handler\"");
    }

    @Test
    void signedWebhooksAndStreamsAreCheckedAgainstThePublicUrl() {
        TwilioSignature twilio = new TwilioSignature("tok");
        TwilioWebhooks hooks = new TwilioWebhooks(TelephoneOptions.builder().authToken("tok")
                .publicUrl("https://voice.example.com").build());
        String body = "CallSid=CA1&From=%2B15550100";
        String signature = twilio.sign("https://voice.example.com/telephone/incoming",
                Map.of("CallSid", List.of("CA1"), "From", List.of("+15550100")));
        Request signed = post("/telephone/incoming", Map.of(TwilioSignature.HEADER, List.of(signature)));
        assertThat(hooks.acceptsWebhook(signed, body)).isTrue();
        assertThat(hooks.acceptsWebhook(signed, body + "x")).isFalse();
        assertThat(hooks.acceptsWebhook(post("/telephone/incoming", Map.of()), body)).isFalse();

        String streamSignature = twilio.sign("wss://voice.example.com/telephone/handler?call=1", Map.of());
        Request upgrade = new Request("GET", "/telephone/handler", Map.of(TwilioSignature.HEADER,
                List.of(streamSignature)), Map.of(), Map.of("call", List.of("1")), "10.0.0.9");
        assertThat(hooks.acceptsStream(upgrade)).isTrue();
        assertThat(hooks.acceptsStream(new Request("GET", "/telephone/handler", Map.of(), Map.of(), Map.of(), null)))
                .isFalse();
    }

    @Test
    void withoutATokenNothingIsRefused() {
        TwilioWebhooks hooks = new TwilioWebhooks(TelephoneOptions.defaults());
        assertThat(hooks.acceptsWebhook(post("/telephone/incoming", Map.of()), "From=x")).isTrue();
        assertThat(hooks.acceptsStream(post("/telephone/handler", Map.of()))).isTrue();
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> TelephoneOptions.builder().publicUrl("voice.example.com").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin");
        assertThatThrownBy(() -> TelephoneOptions.builder().publicUrl("https://voice.example.com/api").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no path");
        assertThatThrownBy(() -> TelephoneOptions.builder().authToken("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authToken");
    }
}
