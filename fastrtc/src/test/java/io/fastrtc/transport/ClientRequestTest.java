package io.fastrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRequestTest {

    @Test
    void headersIgnoreCaseAndKeepEveryValue() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Thing", List.of("a"));
        headers.put("x-thing", List.of("b"));
        ClientRequest request = new ClientRequest("wss", "/p", "a=1&b=x%20y&a=2", headers, "1.2.3.4", null);
        assertThat(request.header("X-THING")).isEqualTo("a");
        assertThat(request.headers().get("x-thing")).containsExactly("a", "b");
        assertThat(request.header("missing")).isNull();
        assertThat(request.scheme()).isEqualTo("https");
        assertThat(request.queryParams()).containsEntry("a", List.of("1", "2")).containsEntry("b", List.of("x y"));
        assertThat(request.queryParam("b")).isEqualTo("x y");
        assertThat(request.body()).isEmpty();
    }

    @Test
    void theOriginIsTheClientsBehindAProxy() {
        assertThat(new ClientRequest("http", "/", "", Map.of("Host", List.of("h:81")), "", "").origin())
                .isEqualTo("http://h:81");
        assertThat(new ClientRequest("http", "/", "", Map.of("Host", List.of("h:81"),
                "X-Forwarded-Proto", List.of("HTTPS")), "", "").origin()).isEqualTo("https://h:81");
        assertThat(new ClientRequest("https", "/", "", Map.of(), "", "").origin()).isEqualTo("https://localhost");
        assertThat(new ClientRequest("http", "/", "", Map.of("Host", List.of("h"),
                "X-Forwarded-Proto", List.of("gopher")), "", "").origin()).isEqualTo("http://h");
    }

    @Test
    void formsAreDecodedAndBadOnesRefused() {
        ClientRequest form = new ClientRequest("http", "/", "", Map.of(), "", "From=%2B1555&Empty=&Flag");
        assertThat(form.formParams()).containsEntry("From", List.of("+1555")).containsEntry("Empty", List.of(""))
                .containsEntry("Flag", List.of(""));
        assertThatThrownBy(() -> new ClientRequest("http", "/", "", Map.of(), "", "a=%G1").formParams())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRequest("ftp", "/", "", Map.of(), "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp");
    }
}
