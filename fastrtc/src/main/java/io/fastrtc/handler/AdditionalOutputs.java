package io.fastrtc.handler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Values a handler sends alongside (or instead of) media, e.g. a detection count. They reach
 * {@code stream.outputStream(webrtcId)} and the client is told with a {@code fetch_output} message.
 *
 * @param values the values, in the order of the stream's additional output components; may contain nulls
 */
public record AdditionalOutputs(List<Object> values) implements Emit {

    public AdditionalOutputs {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public static AdditionalOutputs of(Object... values) {
        return new AdditionalOutputs(java.util.Arrays.asList(values));
    }

    /** The {@code index}-th value. */
    public Object get(int index) {
        return values.get(index);
    }

    @Override
    public Emit with(AdditionalOutputs outputs) {
        throw new UnsupportedOperationException("outputs cannot carry outputs; return a frame.with(outputs)");
    }
}
