package io.fastrtc.stream;

import java.util.concurrent.TimeUnit;

/**
 * Decides the resolution a video connection sends at from how long its handler takes per frame.
 * A handler slower than the incoming frame interval for {@link #STEP_DOWN_AFTER_NANOS} means the
 * connection (or the machine) is behind: the output steps down one scale (full, half, quarter
 * width and height), freeing encoder CPU, then again if it stays behind. Once the handler has
 * kept well inside the interval for {@link #STEP_UP_AFTER_NANOS} it steps back up. Pure logic:
 * the clock is passed in.
 */
final class ResolutionGovernor {

    /** Scale factors, from full size down. */
    static final double[] SCALES = {1, 2, 4};
    static final long STEP_DOWN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long STEP_UP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Recovered means the smoothed handler time is under this share of the frame interval. */
    static final double RECOVERED_SHARE = 0.6;

    private int step;
    private double smoothedNanos = -1;
    private static final long NONE = Long.MIN_VALUE;

    /** When the current run of "behind" or "recovered" began; {@link #NONE} outside one. */
    private long behindSince = NONE;
    private long recoveredSince = NONE;

    /**
     * Records one handler call of {@code handlerNanos} with frames arriving every
     * {@code intervalNanos} (0 if not known yet), at {@code nowNanos}; returns the scale to send at.
     */
    double onFrame(long handlerNanos, long intervalNanos, long nowNanos) {
        smoothedNanos = smoothedNanos < 0 ? handlerNanos : smoothedNanos + (handlerNanos - smoothedNanos) / 4;
        if (intervalNanos <= 0) {
            return scale();
        }
        boolean behind = smoothedNanos > intervalNanos;
        boolean recovered = smoothedNanos < RECOVERED_SHARE * intervalNanos;
        behindSince = !behind ? NONE : behindSince == NONE ? nowNanos : behindSince;
        recoveredSince = !recovered ? NONE : recoveredSince == NONE ? nowNanos : recoveredSince;
        if (behind && nowNanos - behindSince >= STEP_DOWN_AFTER_NANOS && step < SCALES.length - 1) {
            step++;
            behindSince = nowNanos; // the next step needs another sustained period
        } else if (recovered && nowNanos - recoveredSince >= STEP_UP_AFTER_NANOS && step > 0) {
            step--;
            recoveredSince = nowNanos;
        }
        return scale();
    }

    double scale() {
        return SCALES[step];
    }
}
