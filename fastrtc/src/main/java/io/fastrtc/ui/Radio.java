package io.fastrtc.ui;

import java.util.List;

/** A choice among radio buttons; its value is one of the {@code choices}. */
public record Radio(String label, List<String> choices, String value) implements Choice {

    public Radio {
        choices = Values.checkChoices("radio", label, choices, value);
    }

    public static Radio of(String label, String value, String... choices) {
        return new Radio(label, List.of(choices), value);
    }

    @Override
    public String type() {
        return "radio";
    }
}
