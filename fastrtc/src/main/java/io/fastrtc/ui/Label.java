package io.fastrtc.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classification result, Gradio's {@code Label}, taking what {@code gr.Label} takes: a plain label
 * ({@code "cat"}), a number (a regression output, {@code 90} or {@code 0.75}, shown as it is written),
 * or a map of labels to confidences in [0, 1] ({@code Map.of("cat", 0.9, "dog", 0.1)}), shown as the
 * top label with a bar per class. Meant as an additional output.
 */
public record Label(String label, Object value) implements Component {

    private static final String ALLOWED = "a label, a number or a map of labels to confidences";

    public Label {
        if (value != null) {
            checked(value);
        }
    }

    public static Label of(String label) {
        return new Label(label, null);
    }

    @Override
    public String type() {
        return "label";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    @Override
    public Object coerce(Object v) {
        return checked(v);
    }

    private Object checked(Object v) {
        if (v == null || v instanceof String || v instanceof Number) {
            return v;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Double> confidences = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Double c = Values.toDouble(e.getValue());
                if (!(e.getKey() instanceof String) || c == null) {
                    throw Component.invalid(this, v, ALLOWED);
                }
                confidences.put((String) e.getKey(), c);
            }
            return confidences;
        }
        throw Component.invalid(this, v, ALLOWED);
    }

    /** {@code {"label": top}} plus, for confidences, {@code "confidences": [{label, confidence}...]} best first. */
    @Override
    public Object toClient(Object v) {
        Object checked = checked(v);
        if (checked == null) {
            return null;
        }
        if (checked instanceof String || checked instanceof Number) {
            return Map.of("label", String.valueOf(checked)); // as Gradio: str(value)
        }
        @SuppressWarnings("unchecked")
        Map<String, Double> confidences = (Map<String, Double>) checked;
        List<Map<String, Object>> ranked = new ArrayList<>();
        confidences.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("label", e.getKey());
                    entry.put("confidence", e.getValue());
                    ranked.add(entry);
                });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", ranked.isEmpty() ? null : ranked.get(0).get("label"));
        m.put("confidences", ranked);
        return m;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = Values.describe(this);
        m.put("value", toClient(value));
        return m;
    }
}
