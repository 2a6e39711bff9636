package io.fastrtc.ui;

import java.util.List;

/** A choice from a drop-down list; its value is one of the {@code choices}. */
public record Dropdown(String label, List<String> choices, String value) implements Choice {

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
}
