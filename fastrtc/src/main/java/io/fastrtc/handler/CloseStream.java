package io.fastrtc.handler;

/**
 * Returned by a handler to end its connection. The client receives
 * {@code {"type":"end_stream","data":message}} and the server closes the peer connection.
 */
public record CloseStream(String message) implements Emit {

    public CloseStream {
        message = message == null ? "" : message;
    }

    public static CloseStream of(String message) {
        return new CloseStream(message);
    }

    @Override
    public Emit with(AdditionalOutputs outputs) {
        throw new UnsupportedOperationException("CloseStream cannot carry outputs; return the outputs first");
    }
}
