package io.fastrtc.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One run of one point (a server, a stream count): what the load generator and the server's
 * {@code /proc} entries showed over the measuring window. NaN where a figure does not apply or
 * could not be measured.
 *
 * @param connected streams that connected and were measured
 * @param refused error codes of refused offers (e.g. {@code concurrency_limit_reached})
 * @param failed streams that never connected, or why the run failed
 * @param minFps the slowest measured stream's received frame rate (0 if any stream is missing)
 * @param rttP50 pooled round trips of all streams: video frames, or audio pulses
 * @param setupP50 offer sent to connected, median over the streams
 * @param coldSetupMs the unmeasured first connection's setup (the server's one-time start-up)
 * @param cpuPerStream server CPU over the window, % of one core per connected stream
 * @param cpuMsPerFrame server CPU time per echoed video frame
 * @param rssPerStreamMb server VmRSS at the end of the window minus idle, per connected stream
 * @param concealedPercent audio: of the samples the clients' jitter buffers played, the share they had to
 *        synthesise because the audio was not there in time (what a listener hears as a glitch), pooled over streams
 * @param glitches audio: concealment events (separate breaks in the sound), summed over streams
 * @param jitterBufferMs audio: the mean time a sample waited in the client's jitter buffer, median over streams
 * @param codec the video codec the server's answer put first
 * @param loadAverage the machine's 1-minute load average when the run started
 * @param windowSeconds length of the measuring window
 */
record Measured(int streams, int connected, List<String> refused, List<String> failed, double minFps, double rttP50,
                double rttP90, double setupP50, double coldSetupMs, double cpuPerStream, double cpuMsPerFrame,
                double rssPerStreamMb, double idleRssMb, double concealedPercent, long glitches,
                double jitterBufferMs, String codec,
                double loadAverage, double windowSeconds, Measured audioProbe) {

    static final double FULL_RATE = 28;

    /** Video: every stream connected and at full frame rate. Audio: every stream connected and echoing, under 1 % concealed. */
    boolean sustained(boolean video) {
        if (connected < streams || !failed.isEmpty()) {
            return false;
        }
        return video ? minFps >= FULL_RATE : concealedPercent < 1 && !Double.isNaN(rttP50);
    }

    /** A video stream connected, received frames, then none during the window. */
    boolean stalled() {
        return failed.stream().anyMatch(f -> f.contains(STALLED));
    }

    static final String STALLED = "no frame in the window";

    static double percentile(Collection<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.removeIf(v -> v == null || v.isNaN());
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        sorted.sort(null);
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** The median of a figure over runs (NaNs left out). */
    static double median(List<Measured> runs, ToDoubleFunction<Measured> figure) {
        List<Double> values = new ArrayList<>();
        for (Measured run : runs) {
            values.add(figure.applyAsDouble(run));
        }
        return percentile(values, 50);
    }
}
