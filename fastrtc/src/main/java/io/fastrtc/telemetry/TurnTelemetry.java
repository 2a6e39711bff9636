package io.fastrtc.telemetry;

import java.time.Duration;

/** One voice turn: from the end of the user's speech to the end of the reply. */
public interface TurnTelemetry {

    /** Records nothing. */
    TurnTelemetry NONE = new TurnTelemetry() {
    };

    /** The reply's first audio went out, {@code latency} after the user's speech ended. */
    default void firstAudio(Duration latency) {
    }

    /** The user interrupted the reply; it went silent {@code latency} after their speech began. */
    default void interrupted(Duration latency, Duration played) {
    }

    /** Around the reply's user code on its thread, as {@link SessionTelemetry#enter()}. */
    default Scope enter() {
        return Scope.NOOP;
    }

    /** The turn is over (reply finished, interrupted or cancelled). */
    default void ended() {
    }
}
