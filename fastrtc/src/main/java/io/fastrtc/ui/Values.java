package io.fastrtc.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks shared by the components. */
final class Values {

    private Values() {
    }

    static Double toDouble(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** {@code v} as a number within the bounds, or the component's error naming them (when bounded). */
    static double number(Component c, Object v, double minimum, double maximum) {
        Double number = toDouble(v);
        if (number == null || number < minimum || number > maximum) {
            throw Component.invalid(c, v, "a number" + (minimum > -Double.MAX_VALUE || maximum < Double.MAX_VALUE
                    ? " from " + minimum + " to " + maximum : ""));
        }
        return number;
    }

    static Map<String, Object> describe(Component c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", c.type());
        m.put("label", c.label());
        m.put("value", c.defaultValue());
        return m;
    }

    static Map<String, Object> describeChoices(Component c, List<String> choices) {
        Map<String, Object> m = describe(c);
        m.put("choices", choices);
        return m;
    }

    static List<String> checkChoices(String type, String label, List<String> choices, String value) {
        if (choices == null || choices.isEmpty() || !choices.contains(value)) {
            throw new IllegalArgumentException(type + " '" + label + "' needs at least one choice and a default"
                    + " among them; got " + choices + " with default " + value);
        }
        return List.copyOf(choices);
    }

    static Object choose(Component c, List<String> choices, Object v) {
        if (v instanceof String s && choices.contains(s)) {
            return s;
        }
        throw Component.invalid(c, v, "one of " + choices);
    }
}
