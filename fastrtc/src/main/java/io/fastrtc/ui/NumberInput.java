package io.fastrtc.ui;

import java.util.Map;

/** A number field (Gradio's {@code Number}); its value is a {@code Double}. Also usable as an output. */
public record NumberInput(String label, double value, double minimum, double maximum) implements Component {

    public NumberInput {
        if (minimum > maximum || value < minimum || value > maximum) {
            throw new IllegalArgumentException("number '" + label + "' needs minimum <= value <= maximum; got "
                    + minimum + " <= " + value + " <= " + maximum);
        }
    }

    public static NumberInput of(String label, double value) {
        return new NumberInput(label, value, -Double.MAX_VALUE, Double.MAX_VALUE);
    }

    @Override
    public String type() {
        return "number";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    @Override
    public Object coerce(Object v) {
        return Values.number(this, v, minimum, maximum);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = Values.describe(this);
        if (minimum > -Double.MAX_VALUE) {
            m.put("minimum", minimum);
        }
        if (maximum < Double.MAX_VALUE) {
            m.put("maximum", maximum);
        }
        return m;
    }
}
