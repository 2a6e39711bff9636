package io.fastrtc.telephone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against the example request, token and signatures Twilio's own validators are tested with. */
class TwilioSignatureTest {

    static final TwilioSignature TWILIO = new TwilioSignature("12345");
    static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    static final Map<String, List<String>> PARAMS = Map.of(
            "Digits", List.of("1234"),
            "CallSid", List.of("CA1234567890ABCDE"),
            "To", List.of("+18005551212"),
            "Caller", List.of("+14158675309"),
            "From", List.of("+14158675309"));

    @Test
    void signsAsTwilioDoes() {
        assertThat(TWILIO.sign(URL, PARAMS)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(TWILIO.isValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, PARAMS)).isTrue();
    }

    @Test
    void refusesWrongSignaturesParametersAndUrls() {
        assertThat(TWILIO.isValid("NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, PARAMS)).isFalse();
        assertThat(TWILIO.isValid(null, URL, PARAMS)).isFalse();
        assertThat(TWILIO.isValid("", URL, PARAMS)).isFalse();
        assertThat(TWILIO.isValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, Map.of("Digits", List.of("1234")))).isFalse();
        assertThat(TWILIO.isValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL.replace("foo=1", "foo=2"), PARAMS)).isFalse();
        assertThat(new TwilioSignature("54321").isValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL, PARAMS)).isFalse();
    }

    @Test
    void acceptsTheUrlWithOrWithoutItsPortAsTwiliosValidatorsDo() {
        // A proxy that adds a port: Twilio signed the URL without it.
        assertThat(TWILIO.isValid("RSOYDt4T1cUTdK1PDd93/VVr8B8=", URL.replace(".com", ".com:1234"), PARAMS)).isTrue();
        // Twilio signed with the default port (its hashes of https://...:443 and http://...:80).
        assertThat(TWILIO.isValid("kvajT1Ptam85bY51eRf/AJRuM3w=", URL, PARAMS)).isTrue();
        assertThat(TWILIO.isValid("0ZXoZLH/DfblKGATFgpif+LLRf4=", URL.replace("https", "http"), PARAMS)).isTrue();
        assertThat(TWILIO.isValid("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
                URL.replace(".com", ".com:1234").replace("https", "http"), PARAMS)).isTrue();
        assertThat(TwilioSignature.portVariants("wss://[::1]:8443/telephone/handler")).containsExactly(
                "wss://[::1]:8443/telephone/handler", "wss://[::1]/telephone/handler", "wss://[::1]:443/telephone/handler");
    }

    @Test
    void sortsParametersByNameAndRepeatedValuesByValue() {
        String url = "https://example.com/hook";
        String expected = TWILIO.sign(url + "A1A2B0", Map.of());
        assertThat(TWILIO.sign(url, Map.of("B", List.of("0"), "A", List.of("2", "1")))).isEqualTo(expected);
    }

    @Test
    void needsAToken() {
        assertThatThrownBy(() -> new TwilioSignature("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auth token");
        assertThatThrownBy(() -> new TwilioSignature(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
