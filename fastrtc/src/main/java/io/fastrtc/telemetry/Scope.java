package io.fastrtc.telemetry;

/** A context made current on one thread until {@link #close()}; never throws. */
@FunctionalInterface
public interface Scope extends AutoCloseable {

    /** Makes nothing current. */
    Scope NOOP = () -> {
    };

    @Override
    void close();
}
