package io.fastrtc.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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

    /** The mapper's parser factory (same limits), for reading without a tree. */
    static JsonFactory factory() {
        return MAPPER.getFactory();
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses JSON text; the exception message says where the text stops being JSON (line and
     * column), never Jackson's own wording, which quotes the input and names parser internals.
     */
    public static JsonNode parse(String text) throws ProtocolException {
        try {
            return MAPPER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new ProtocolException(422, "invalid_json", "request body is JSON nested deeper than 64 levels,"
                    + " or with a string over 1 MiB or a number over 100 digits");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ProtocolException(422, "invalid_json", "request body is not valid JSON"
                    + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")"));
        }
    }

    /** Converts a parsed JSON value to plain Java (Map, List, String, Number, Boolean, null). */
    public static Object toJava(JsonNode node) {
        return MAPPER.convertValue(node, Object.class);
    }
}
