package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.security.Request;
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
    void theStreamUrlFollowsProxiesAndThePortOfAPlainServer() {
        TwilioWebhooks hooks = new TwilioWebhooks(TelephoneOptions.defaults());
        assertThat(hooks.answer(post("/telephone/incoming", Map.of("host", List.of("127.0.0.1:7860"))), "").body())
                .contains("url=\"ws://127.0.0.1:7860/telephone/handler\" />");
        assertThat(hooks.answer(post("/telephone/incoming", Map.of("Host", List.of("10.0.0.2:80"),
                "X-Forwarded-Proto", List.of("https, http"), "X-Forwarded-Host", List.of("a.example.org, proxy"))), "")
                .body()).contains("url=\"wss://a.example.org/telephone/handler\"");
        assertThat(hooks.answer(post("/telephone/incoming", Map.of("Host", List.of("h"),
                "X-Forwarded-Proto", List.of("gopher"))), "").body()).contains("url=\"ws://h/telephone/handler\"");
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
        assertThat(hooks.refuseWebhook(signed, body)).isNull();
        assertThat(hooks.refuseWebhook(signed, body + "x")).contains("https://voice.example.com/telephone/incoming");
        assertThat(hooks.refuseWebhook(post("/telephone/incoming", Map.of()), body)).contains(TwilioSignature.HEADER);

        String streamSignature = twilio.sign("wss://voice.example.com/telephone/handler?call=1", Map.of());
        Request upgrade = new Request("GET", "/telephone/handler", Map.of(TwilioSignature.HEADER,
                List.of(streamSignature)), Map.of(), Map.of("call", List.of("1")), "10.0.0.9");
        assertThat(hooks.refuseStream(upgrade)).isNull();
        assertThat(hooks.refuseStream(new Request("GET", "/telephone/handler", Map.of(), Map.of(), Map.of(), null)))
                .contains(TwilioSignature.HEADER);
    }

    @Test
    void withoutATokenNothingIsRefused() {
        TwilioWebhooks hooks = new TwilioWebhooks(TelephoneOptions.defaults());
        assertThat(hooks.refuseWebhook(post("/telephone/incoming", Map.of()), "From=x")).isNull();
        assertThat(hooks.refuseStream(post("/telephone/handler", Map.of()))).isNull();
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
