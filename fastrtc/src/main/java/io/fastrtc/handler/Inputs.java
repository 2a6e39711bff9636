package io.fastrtc.handler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The current values of a connection's additional inputs, in the order the stream declared them.
 * Before the client's first {@code setInput} they are the components' defaults.
 *
 * <p>Rule (differs from FastRTC, which skips a placeholder for the media on some transports and
 * keeps echoing frames until the first {@code set_input}): value {@code i} is always the
 * {@code i}-th additional input, whatever the transport; no slot is reserved for the media.
 */
public final class Inputs {

    private static final Inputs NONE = new Inputs(List.of());

    private final List<Object> values;

    private Inputs(List<Object> values) {
        this.values = values;
    }

    public static Inputs of(List<?> values) {
        return values.isEmpty() ? NONE : new Inputs(Collections.unmodifiableList(new ArrayList<>(values)));
    }

    public static Inputs none() {
        return NONE;
    }

    public int size() {
        return values.size();
    }

    public Object get(int index) {
        checkIndex(index);
        return values.get(index);
    }

    public double getDouble(int index) {
        return as(index, Number.class).doubleValue();
    }

    public int getInt(int index) {
        return as(index, Number.class).intValue();
    }

    public boolean getBoolean(int index) {
        return as(index, Boolean.class);
    }

    public String getString(int index) {
        Object value = get(index);
        return value == null ? null : value.toString();
    }

    /** The values as a list (unmodifiable). */
    public List<Object> asList() {
        return values;
    }

    /** The {@code index}-th value, checked to be of {@code type}. */
    public <T> T as(int index, Class<T> type) {
        Object value = get(index);
        if (!type.isInstance(value)) {
            throw new IllegalStateException("additional input " + index + " is "
                    + (value == null ? "null" : value.getClass().getSimpleName() + " " + value)
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= values.size()) {
            throw new IndexOutOfBoundsException("additional input " + index + " does not exist: this stream has "
                    + values.size() + " (declare them with additionalInputs(...))");
        }
    }

    @Override
    public String toString() {
        return "Inputs" + values;
    }
}
