package io.fastrtc.stream;

import java.util.concurrent.TimeUnit;

/**
 * Decides the resolution a video connection sends at from the share of its incoming frames the
 * handler could not take (replaced by a newer one, or too old), measured over one-second windows,
 * and from whether libwebrtc finds the encoder overused. That share grows whenever the connection
 * falls behind the frame rate, be it a handler slower than the frame interval or a machine short
 * of CPU. {@link #STEP_DOWN_WINDOWS} windows behind in a row step the output down one scale (full,
 * half, quarter width and height), freeing encoder CPU, and again if it stays behind;
 * {@link #STEP_UP_WINDOWS} recovered windows in a row step it back up. Pure logic: counts and
 * clock are passed in.
 */
final class ResolutionGovernor {

    /** Scale factors, from full size down. */
    static final double[] SCALES = {1, 2, 4};
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int STEP_DOWN_WINDOWS = 2;
    static final int STEP_UP_WINDOWS = 5;
    /** Behind: more than this share of the window's frames went unprocessed. */
    static final double BEHIND_SHARE = 0.2;
    /** Recovered: less than this share did. */
    static final double RECOVERED_SHARE = 0.05;

    private static final long NONE = Long.MIN_VALUE;

    private int step;
    private long windowStart = NONE;
    private long receivedAtStart;
    private long skippedAtStart;
    private int behindWindows;
    private int recoveredWindows;

    /**
     * Records a processed frame at {@code nowNanos}, given the frames {@code received} so far and
     * how many of them were {@code skipped} (not processed); returns the scale to send at.
     */
    double onFrame(long received, long skipped, boolean encoderOverused, long nowNanos) {
        if (windowStart != NONE && nowNanos - windowStart < WINDOW_NANOS) {
            return scale();
        }
        long arrived = received - receivedAtStart;
        long lost = skipped - skippedAtStart;
        boolean first = windowStart == NONE;
        windowStart = nowNanos;
        receivedAtStart = received;
        skippedAtStart = skipped;
        if (first || arrived <= 0) {
            return scale();
        }
        double share = (double) lost / arrived;
        boolean behind = share > BEHIND_SHARE || encoderOverused;
        boolean recovered = share < RECOVERED_SHARE && !encoderOverused;
        behindWindows = behind ? behindWindows + 1 : 0;
        recoveredWindows = recovered ? recoveredWindows + 1 : 0;
        if (behindWindows >= STEP_DOWN_WINDOWS && step < SCALES.length - 1) {
            step++;
            behindWindows = 0; // the next step needs as long again
        } else if (recoveredWindows >= STEP_UP_WINDOWS && step > 0) {
            step--;
            recoveredWindows = 0;
        }
        return scale();
    }

    double scale() {
        return SCALES[step];
    }
}
