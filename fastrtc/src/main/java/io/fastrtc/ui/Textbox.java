package io.fastrtc.ui;

import java.util.Map;

/** A text field; its value is a {@code String} of at most {@code maxLength} characters. Also usable as an output. */
public record Textbox(String label, String value, int maxLength) implements Component {

    public static final int DEFAULT_MAX_LENGTH = 10_000;

    public Textbox {
        value = value == null ? "" : value;
        if (maxLength <= 0 || value.length() > maxLength) {
            throw new IllegalArgumentException("textbox '" + label + "' needs maxLength > 0 and a default within it");
        }
    }

    public static Textbox of(String label, String value) {
        return new Textbox(label, value, DEFAULT_MAX_LENGTH);
    }

    public static Textbox of(String label) {
        return of(label, "");
    }

    @Override
    public String type() {
        return "textbox";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    @Override
    public Object coerce(Object v) {
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw Component.invalid(this, v, "text");
        }
        String text = v.toString();
        if (text.length() > maxLength) {
            throw Component.invalid(this, text.length() > 20 ? text.substring(0, 20) + "..." : text,
                    "text of at most " + maxLength + " characters");
        }
        return text;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = Values.describe(this);
        m.put("maxLength", maxLength);
        return m;
    }
}
