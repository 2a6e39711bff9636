package io.fastrtc.stream;

import io.fastrtc.handler.Inputs;
import io.fastrtc.handler.InvalidInputException;
import io.fastrtc.ui.Component;
import java.util.ArrayList;
import java.util.List;

/** A stream's additional inputs: the values a connection starts with, and the check of values set later. */
final class InputComponents {

    private final List<Component> components;

    InputComponents(List<Component> components) {
        this.components = List.copyOf(components);
    }

    List<Component> list() {
        return components;
    }

    /** The components' default values, what a connection starts with. */
    Inputs defaults() {
        List<Object> defaults = new ArrayList<>();
        for (Component c : components) {
            defaults.add(c.defaultValue());
        }
        return Inputs.of(defaults);
    }

    /** Checks one value per component, in order, each converted by its component. */
    Inputs coerce(List<?> values) {
        if (components.isEmpty()) {
            return Inputs.of(values);
        }
        if (values.size() != components.size()) {
            throw new InvalidInputException("this stream has " + components.size() + " additional inputs ("
                    + labels() + "); got " + values.size() + " values");
        }
        List<Object> coerced = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            coerced.add(components.get(i).coerce(values.get(i)));
        }
        return Inputs.of(coerced);
    }

    private String labels() {
        List<String> labels = new ArrayList<>();
        for (Component c : components) {
            labels.add(c.label());
        }
        return String.join(", ", labels);
    }
}
