package io.fastrtc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.transport.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaEventTest {

    @Test
    void readsTwilioAndFastRtcMediaEvents() {
        assertThat(MediaEvent.read("{\"event\":\"media\",\"sequenceNumber\":\"3\",\"media\":{\"track\":\"inbound\","
                + "\"chunk\":\"1\",\"timestamp\":\"5\",\"payload\":\"no+JhoaJ\"},\"streamSid\":\"MZ1\"}"))
                .isEqualTo(new MediaEvent("inbound", "no+JhoaJ"));
        assertThat(MediaEvent.read("{ \"media\" : { \"payload\" : \"AAAA\" }, \"event\" : \"media\" }"))
                .isEqualTo(new MediaEvent(null, "AAAA"));
    }

    @Test
    void leavesEverythingElseToTheTreeParser() {
        for (String text : List.of("{\"event\":\"start\",\"start\":{}}", "not json", "[1]", "\"media\"", "",
                "{\"event\":\"media\"} {}", "{\"event\":\"media\",\"media\":{\"payload\":\"AA\"}", "{\"event\":7}",
                "{\"media\":{\"payload\":\"AA\"}}", "{\"event\":\"media\",\"event\":\"stop\"}")) {
            assertThat(MediaEvent.read(text)).as(text).isNull();
        }
    }

    /** Whatever the tree reads as a media event, this reads the same, field for field. */
    @Test
    void agreesWithTheTreeOnOddMediaEvents() throws ProtocolException {
        for (String text : List.of(
                "{\"event\":\"media\"}",
                "{\"event\":\"media\",\"media\":\"AAAA\"}",
                "{\"event\":\"media\",\"media\":[{\"payload\":\"AAAA\"}]}",
                "{\"event\":\"media\",\"media\":{\"payload\":12,\"track\":true}}",
                "{\"event\":\"media\",\"media\":{\"payload\":null,\"track\":{\"a\":[1,{\"b\":2}]}}}",
                "{\"event\":\"media\",\"media\":{\"payload\":\"AA\"},\"media\":{\"track\":\"outbound\"}}",
                "{\"event\":\"media\",\"media\":{\"payload\":\"AA\",\"payload\":\"BB\",\"track\":\"x\",\"track\":\"inbound\"}}",
                "{\"event\":\"stop\",\"x\":{\"event\":\"stop\"},\"event\":\"media\",\"media\":{\"payload\":\"\\u0041A\"}}")) {
            JsonNode tree = Json.parse(text);
            JsonNode media = tree.path("media");
            assertThat(tree.path("event").asText()).isEqualTo("media");
            assertThat(MediaEvent.read(text)).as(text).isEqualTo(new MediaEvent(text(media, "track"), text(media, "payload")));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
