package io.fastrtc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SocketMessagesTest {

    @Test
    void mediaEventsCarryTheStreamAndThePayload() throws Exception {
        byte[] payload = {0, 1, (byte) 0xff, 0x7f, 42};
        Function<byte[], String> twilio = SocketMessages.media("MZ\"quoted\\sid");
        assertThat(twilio.apply(payload)).isEqualTo("{\"event\":\"media\",\"streamSid\":\"MZ\\\"quoted\\\\sid\","
                + "\"media\":{\"payload\":\"AAH/fyo=\"}}");
        JsonNode event = Json.parse(twilio.apply(new byte[] {9}));
        assertThat(event.path("streamSid").asText()).isEqualTo("MZ\"quoted\\sid");
        assertThat(Base64.getDecoder().decode(event.path("media").path("payload").asText())).containsExactly(9);
        assertThat(SocketMessages.media(null).apply(payload))
                .isEqualTo("{\"event\":\"media\",\"media\":{\"payload\":\"AAH/fyo=\"}}");
    }
}
