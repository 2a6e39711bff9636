package io.fastrtc.ui;

import java.util.Map;

/** A checkbox; its value is a {@code Boolean}. */
public record Checkbox(String label, boolean value) implements Component {

    public static Checkbox of(String label, boolean value) {
        return new Checkbox(label, value);
    }

    @Override
    public String type() {
        return "checkbox";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    @Override
    public Object coerce(Object v) {
        if (v instanceof Boolean) {
            return v;
        }
        if ("true".equals(v) || "false".equals(v)) {
            return Boolean.valueOf((String) v);
        }
        throw Component.invalid(this, v, "true or false");
    }

    @Override
    public Map<String, Object> describe() {
        return Values.describe(this);
    }
}
