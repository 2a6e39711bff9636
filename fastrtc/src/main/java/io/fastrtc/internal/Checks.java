package io.fastrtc.internal;

import java.time.Duration;

/** Argument checks shared by the builders, so that each bad value gets the same clear message. */
public final class Checks {

    private Checks() {
    }

    /**
     * {@code value}, if it is a positive duration.
     *
     * @param name the setting, as the caller wrote it ({@code "connectTimeout"})
     * @param example a valid value to suggest, usually the default
     * @throws IllegalArgumentException naming the setting, the bad value (null too) and the example
     */
    public static Duration positive(String name, Duration value, Duration example) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive Duration, such as " + java(example)
                    + "; got " + value);
        }
        return value;
    }

    /** How the example would be written in Java. */
    static String java(Duration d) {
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
            return "Duration.ofMinutes(" + d.toMinutes() + ")";
        }
        return d.toMillis() % 1000 == 0 ? "Duration.ofSeconds(" + d.toSeconds() + ")"
                : "Duration.ofMillis(" + d.toMillis() + ")";
    }
}
