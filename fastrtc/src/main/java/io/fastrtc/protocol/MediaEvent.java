package io.fastrtc.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * A client's {@code media} event on a socket ({@code {"event":"media","media":{"track":..,
 * "payload":..}}}), read as it streams by, without the tree {@link Json#parse} builds: a phone call
 * sends 50 a second. What a tree would give is what this gives: the last of repeated fields wins,
 * a {@code track} or {@code payload} that is not a string is null, so is a {@code media} that is
 * not an object.
 *
 * @param track   {@code media.track}, or null
 * @param payload {@code media.payload} (base64), or null
 */
public record MediaEvent(String track, String payload) {

    /**
     * The media event {@code text} holds; null if it holds anything else (another event, not JSON,
     * over the parser's limits), which the caller then parses with {@link Json#parse} as usual: what
     * that reads as an object whose {@code event} is {@code "media"}, this reads too.
     */
    public static MediaEvent read(String text) {
        try (JsonParser parser = Json.factory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String event = null;
            MediaEvent media = new MediaEvent(null, null);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("event")) {
                    event = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                } else if (name.equals("media")) {
                    media = value == JsonToken.START_OBJECT ? media(parser) : new MediaEvent(null, null);
                }
                parser.skipChildren();
            }
            // A complete object and nothing after it (Json.parse refuses trailing tokens).
            return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null
                    && "media".equals(event) ? media : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static MediaEvent media(JsonParser parser) throws IOException {
        String track = null;
        String payload = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            if (name.equals("track")) {
                track = text;
            } else if (name.equals("payload")) {
                payload = text;
            }
            parser.skipChildren();
        }
        return new MediaEvent(track, payload);
    }
}
