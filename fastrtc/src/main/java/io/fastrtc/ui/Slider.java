package io.fastrtc.ui;

import java.util.Map;

/** A numeric slider; its value reaches the handler as a {@code Double}. */
public record Slider(String label, double minimum, double maximum, double step, double value) implements Component {

    public Slider {
        if (!(minimum < maximum) || step <= 0 || value < minimum || value > maximum) {
            throw new IllegalArgumentException("slider '" + label + "' needs minimum < maximum, step > 0 and a value"
                    + " in range; got [" + minimum + ", " + maximum + "] step " + step + " value " + value);
        }
    }

    /** A slider from {@code minimum} to {@code maximum} in steps of 1/100 of the range. */
    public static Slider of(String label, double minimum, double maximum, double value) {
        return new Slider(label, minimum, maximum, (maximum - minimum) / 100, value);
    }

    @Override
    public String type() {
        return "slider";
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
        m.put("minimum", minimum);
        m.put("maximum", maximum);
        m.put("step", step);
        return m;
    }
}
