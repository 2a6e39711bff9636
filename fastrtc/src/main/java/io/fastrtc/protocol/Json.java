package io.fastrtc.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fastrtc.transport.ProtocolException;

/** The library's one JSON mapper (Jackson stays internal; no Jackson type is in the public API). */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(100).build());
    }

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON text; the exception message says what is wrong without echoing the input. */
    public static JsonNode parse(String text) throws ProtocolException {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson names its own classes in limit messages ("..., from `StreamReadConstraints...`)").
            String why = e.getOriginalMessage().replaceAll(",? from `[^`]*`", "");
            throw new ProtocolException(422, "invalid_json", "request body is not valid JSON: " + why);
        }
    }

    /** Converts a parsed JSON value to plain Java (Map, List, String, Number, Boolean, null). */
    public static Object toJava(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }
}
