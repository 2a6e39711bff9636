package io.fastrtc.ui;

import io.fastrtc.handler.InvalidInputException;
import java.util.Map;

/**
 * A UI component used as an additional input or output, like the Gradio components FastRTC takes.
 * As an input it has a default value and checks (and normalises) every value a client sets.
 */
public interface Component {

    /** The component kind as the web UI knows it, e.g. {@code "slider"}. */
    String type();

    String label();

    /** The value a connection starts with, before any {@code setInput}. */
    Object defaultValue();

    /**
     * Checks a value from a client or from {@code setInput} and returns it in this component's Java
     * type (a {@code Double} for a slider, a {@code String} for a textbox...).
     *
     * @throws InvalidInputException naming the component, the bad value and what is allowed
     */
    Object coerce(Object value);

    /** Everything the web UI needs to render this component. */
    Map<String, Object> describe();

    /**
     * A value of this component as the web UI shows it (JSON-friendly); most values are shown as
     * they are, an {@link Image} for instance turns a picture into a data URL.
     */
    default Object toClient(Object value) {
        return value;
    }

    /** The refusal of {@code value}: the component, what it takes, and the value (cut to 60 characters). */
    static InvalidInputException invalid(Component c, Object value, String allowed) {
        String shown = String.valueOf(value);
        shown = shown.length() > 60 ? shown.substring(0, 60) + "..." : shown;
        return new InvalidInputException(c.type() + " '" + c.label() + "' takes " + allowed + "; got "
                + (value instanceof String ? "\"" + shown + "\"" : shown));
    }
}
