package io.fastrtc.ui;

import java.util.Map;

/**
 * Any JSON-like value (maps, lists, strings, numbers, booleans, records), shown pretty-printed;
 * Gradio's {@code JSON}. Meant as an additional output.
 */
public record Json(String label, Object value) implements Component {

    public static Json of(String label) {
        return new Json(label, null);
    }

    @Override
    public String type() {
        return "json";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    @Override
    public Object coerce(Object v) {
        return v;
    }

    @Override
    public Map<String, Object> describe() {
        return Values.describe(this);
    }
}
