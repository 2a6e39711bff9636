package io.fastrtc.cluster;

/** The store a {@link Broker} shares with other instances failed or cannot be reached. */
public class BrokerException extends RuntimeException {

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
