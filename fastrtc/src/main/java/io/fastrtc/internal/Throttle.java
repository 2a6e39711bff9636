package io.fastrtc.internal;

import java.time.Duration;

/**
 * Lets a repeated report through at most once per interval, and says how many it held back, so a
 * client that fails on every frame gets one error a second rather than fifty.
 */
public final class Throttle {

    private final long intervalNanos;
    private long lastNanos;
    private int held;

    public Throttle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * The message to report now, with {@code " (N similar errors suppressed)"} appended when some
     * were held back since the last one; null to hold this one back.
     */
    public synchronized String pass(String message) {
        long now = System.nanoTime();
        if (lastNanos != 0 && now - lastNanos < intervalNanos) {
            held++;
            return null;
        }
        lastNanos = now;
        if (held == 0) {
            return message;
        }
        String counted = message + " (" + held + " similar errors suppressed)";
        held = 0;
        return counted;
    }
}
