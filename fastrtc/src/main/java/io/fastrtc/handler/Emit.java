package io.fastrtc.handler;

/**
 * What a handler may return: a media frame (a {@code VideoFrame}), a frame {@linkplain #with with}
 * outputs, {@link AdditionalOutputs} alone, or {@link CloseStream}. It is the Java form of FastRTC's
 * {@code VideoEmitType}/{@code AudioEmitType} unions.
 */
public interface Emit {

    /** This frame together with additional outputs, like FastRTC's {@code (frame, AdditionalOutputs(...))}. */
    default Emit with(AdditionalOutputs outputs) {
        return new WithOutputs(this, outputs);
    }

    /** A media frame together with additional outputs. */
    record WithOutputs(Emit media, AdditionalOutputs outputs) implements Emit {
        public WithOutputs {
            if (media instanceof AdditionalOutputs || media instanceof CloseStream || media instanceof WithOutputs) {
                throw new IllegalArgumentException("with(...) pairs a media frame with outputs, not " + media);
            }
            java.util.Objects.requireNonNull(outputs, "outputs");
        }
    }
}
