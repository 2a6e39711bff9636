package io.fastrtc.ui;

import java.util.List;
import java.util.Map;

/** A choice from a drop-down list; its value is one of the {@code choices}. */
public record Dropdown(String label, List<String> choices, String value) implements Component {

    public Dropdown {
        choices = Values.checkChoices("dropdown", label, choices, value);
    }

    public static Dropdown of(String label, String value, String... choices) {
        return new Dropdown(label, List.of(choices), value);
    }

    @Override
    public String type() {
        return "dropdown";
    }

    @Override
    public Object defaultValue() {
        return value;
    }

    @Override
    public Object coerce(Object v) {
        return Values.choose(this, choices, v);
    }

    @Override
    public Map<String, Object> describe() {
        return Values.describeChoices(this, choices);
    }
}
