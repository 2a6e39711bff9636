package io.fastrtc.turn;

/**
 * How speech probabilities become speech segments: FastRTC's {@code SileroVadOptions}, applied by
 * {@link SpeechTimestamps}. {@link #DEFAULTS} holds FastRTC's defaults; derive variations with the
 * {@code with...} methods, e.g. {@code VadOptions.DEFAULTS.withMinSilenceDurationMs(500)}.
 *
 * @param threshold probability at or above which a window is speech; while inside speech, a window
 *     only counts as silence below {@code threshold - 0.15}
 * @param minSpeechDurationMs segments this short or shorter are dropped
 * @param maxSpeechDurationS longer segments are split, at a silence of more than 98 ms if there
 *     was one, else hard ({@code +inf}: never)
 * @param minSilenceDurationMs silence needed to end a segment
 * @param windowSizeSamples samples per model call at 16 kHz for Silero v4, FastRTC's model (512,
 *     1024 or 1536). Models with a fixed window ignore it, as Silero's own v5 utilities do: Silero
 *     v5 always analyses 512 samples (32 ms), the WebRTC detector 10 ms
 * @param speechPadMs padding added on each side of every segment (halved between segments that
 *     are closer than twice this)
 */
public record VadOptions(double threshold, int minSpeechDurationMs, double maxSpeechDurationS,
        int minSilenceDurationMs, int windowSizeSamples, int speechPadMs) {

    /** FastRTC's {@code SileroVadOptions()}. */
    public static final VadOptions DEFAULTS = new VadOptions(0.5, 250, Double.POSITIVE_INFINITY, 2000, 1024, 400);

    public VadOptions {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold is a probability between 0 and 1, got " + threshold);
        }
        requireNonNegative("minSpeechDurationMs", minSpeechDurationMs);
        requireNonNegative("minSilenceDurationMs", minSilenceDurationMs);
        requireNonNegative("speechPadMs", speechPadMs);
        if (!(maxSpeechDurationS > 0)) {
            throw new IllegalArgumentException("maxSpeechDurationS must be > 0 (Double.POSITIVE_INFINITY for no"
                    + " limit), got " + maxSpeechDurationS);
        }
        if (windowSizeSamples <= 0) {
            throw new IllegalArgumentException("windowSizeSamples must be > 0, got " + windowSizeSamples);
        }
    }

    private static void requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    public VadOptions withThreshold(double value) {
        return new VadOptions(value, minSpeechDurationMs, maxSpeechDurationS, minSilenceDurationMs,
                windowSizeSamples, speechPadMs);
    }

    public VadOptions withMinSpeechDurationMs(int value) {
        return new VadOptions(threshold, value, maxSpeechDurationS, minSilenceDurationMs, windowSizeSamples,
                speechPadMs);
    }

    public VadOptions withMaxSpeechDurationS(double value) {
        return new VadOptions(threshold, minSpeechDurationMs, value, minSilenceDurationMs, windowSizeSamples,
                speechPadMs);
    }

    public VadOptions withMinSilenceDurationMs(int value) {
        return new VadOptions(threshold, minSpeechDurationMs, maxSpeechDurationS, value, windowSizeSamples,
                speechPadMs);
    }

    public VadOptions withWindowSizeSamples(int value) {
        return new VadOptions(threshold, minSpeechDurationMs, maxSpeechDurationS, minSilenceDurationMs, value,
                speechPadMs);
    }

    public VadOptions withSpeechPadMs(int value) {
        return new VadOptions(threshold, minSpeechDurationMs, maxSpeechDurationS, minSilenceDurationMs,
                windowSizeSamples, value);
    }
}
