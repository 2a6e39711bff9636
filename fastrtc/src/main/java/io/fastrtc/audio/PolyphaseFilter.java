package io.fastrtc.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The anti-aliasing / interpolation filter of {@link Resampler}: a Kaiser-windowed sinc, tabulated
 * at the fractional input positions where output samples fall.
 *
 * <p>The ratio out/in is reduced to {@code up/down}; output samples then fall on only {@code up}
 * distinct fractional positions ("phases"), so for the usual rates (160 phases for 44.1 to 48 kHz,
 * 1 for 48 to 16 kHz) every coefficient is precomputed exactly. An unusual pair of rates can need
 * tens of thousands of phases; the table is then capped and the filter is linearly interpolated
 * between neighbouring phases, which stays below the 16-bit noise floor.
 */
final class PolyphaseFilter {

    /** Passband edge and stopband edge as fractions of the lower Nyquist frequency (soxr "HQ" uses 0.913 / 1.0). */
    private static final double PASSBAND = 0.91;
    private static final double STOPBAND = 1.0;
    /** Stopband rejection in dB; also bounds the passband ripple to about 1e-5. */
    private static final double REJECTION_DB = 100;
    /** Largest table in coefficients (2 MB); beyond it phases are interpolated. */
    private static final int MAX_COEFFICIENTS = 1 << 18;
    /** Distinct rate pairs in a process are few; the bound only guards against pathological callers. */
    private static final int MAX_CACHED = 32;
    private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

    /** Output/input ratio reduced to lowest terms. */
    final int up;
    final int down;
    /** Input samples on each side of an output instant that the filter reaches. */
    final int halfLength;
    private final int taps;
    private final int phases;
    /** {@code phases + 1} rows of {@code taps} coefficients; row p is for the fractional position p/phases. */
    private final double[] table;

    private PolyphaseFilter(int up, int down) {
        this.up = up;
        this.down = down;
        double ratio = Math.min(1.0, (double) up / down);
        double cutoff = 0.5 * ratio * (PASSBAND + STOPBAND) / 2;
        double transition = 0.5 * ratio * (STOPBAND - PASSBAND);
        // Kaiser's estimate of the filter length for this rejection and transition width.
        int length = (int) Math.ceil((REJECTION_DB - 7.95) / (14.36 * transition));
        this.halfLength = (length + 1) / 2;
        this.taps = 2 * halfLength;
        this.phases = (long) up * taps <= MAX_COEFFICIENTS ? up : Math.max(16, MAX_COEFFICIENTS / taps);
        double beta = 0.1102 * (REJECTION_DB - 8.7);
        double i0Beta = besselI0(beta);
        this.table = new double[(phases + 1) * taps];
        for (int p = 0; p <= phases; p++) {
            double fraction = (double) p / phases;
            double sum = 0;
            for (int i = 0; i < taps; i++) {
                // Tap i weighs input sample (index - halfLength + 1 + i); its distance from the output instant:
                double distance = fraction + halfLength - 1 - i;
                double x = distance / halfLength;
                double window = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta;
                double value = 2 * cutoff * sinc(2 * cutoff * distance) * window;
                table[p * taps + i] = value;
                sum += value;
            }
            // Unit gain at DC for every phase, so silence stays silence and a constant stays constant.
            for (int i = 0; i < taps; i++) {
                table[p * taps + i] /= sum;
            }
        }
    }

    static PolyphaseFilter forRates(int inRate, int outRate) {
        int gcd = gcd(inRate, outRate);
        int up = outRate / gcd;
        int down = inRate / gcd;
        long key = ((long) up << 32) | down;
        PolyphaseFilter filter = CACHE.get(key);
        if (filter == null) {
            filter = new PolyphaseFilter(up, down);
            if (CACHE.size() >= MAX_CACHED) {
                CACHE.clear();
            }
            CACHE.put(key, filter);
        }
        return filter;
    }

    /**
     * One output sample of channel {@code channel}: the window of input frames starting at frame
     * {@code first} of the interleaved {@code input}, at fractional position {@code phase / up}.
     */
    double apply(double[] input, int first, int channels, int channel, long phase) {
        if (phases == up) {
            return dot(input, first, channels, channel, (int) phase);
        }
        double position = (double) phase * phases / up;
        int row = (int) position;
        double weight = position - row;
        double lower = dot(input, first, channels, channel, row);
        return weight == 0 ? lower : lower + weight * (dot(input, first, channels, channel, row + 1) - lower);
    }

    /**
     * Four partial sums: one running sum waits a floating-point add's latency at every tap, which made
     * this loop most of a voice server's CPU; independent sums keep the multiplier busy (about 3x faster).
     */
    private double dot(double[] input, int first, int channels, int channel, int row) {
        int k = row * taps;
        int j = first * channels + channel;
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        int i = 0;
        if (channels == 1) {
            for (; i + 3 < taps; i += 4, j += 4) {
                a0 += table[k + i] * input[j];
                a1 += table[k + i + 1] * input[j + 1];
                a2 += table[k + i + 2] * input[j + 2];
                a3 += table[k + i + 3] * input[j + 3];
            }
        }
        for (; i < taps; i++, j += channels) {
            a0 += table[k + i] * input[j];
        }
        return (a0 + a1) + (a2 + a3);
    }

    /**
     * Outputs {@code o} and {@code o + 1} of a decimation, together: windows {@code down} frames
     * apart, each summed in the order of {@link #dot} (so the same results); the two share every
     * coefficient load and keep eight sums in flight instead of four.
     */
    private void dotWindows(double[] input, int j, double[] out, int o) {
        int j2 = j + down;
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        int i = 0;
        for (; i + 3 < taps; i += 4) {
            double c0 = table[i];
            double c1 = table[i + 1];
            double c2 = table[i + 2];
            double c3 = table[i + 3];
            a0 += c0 * input[j + i];
            a1 += c1 * input[j + i + 1];
            a2 += c2 * input[j + i + 2];
            a3 += c3 * input[j + i + 3];
            b0 += c0 * input[j2 + i];
            b1 += c1 * input[j2 + i + 1];
            b2 += c2 * input[j2 + i + 2];
            b3 += c3 * input[j2 + i + 3];
        }
        for (; i < taps; i++) {
            a0 += table[i] * input[j + i];
            b0 += table[i] * input[j2 + i];
        }
        out[o] = (a0 + a1) + (a2 + a3);
        out[o + 1] = (b0 + b1) + (b2 + b3);
    }

    /**
     * Outputs {@code o} and {@code o + 1} of an interpolation, together: phases {@code row} and
     * {@code row + 1} of the window at {@code j}, each summed in the order of {@link #dot}; the two
     * share every input load. Not one method with {@link #dotWindows}: with both offsets as parameters
     * the shared loads are not shared, and decimating was 30 % slower.
     */
    private void dotPhases(double[] input, int j, int row, double[] out, int o) {
        int k = row * taps;
        int k2 = k + taps;
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double b3 = 0;
        int i = 0;
        for (; i + 3 < taps; i += 4) {
            double x0 = input[j + i];
            double x1 = input[j + i + 1];
            double x2 = input[j + i + 2];
            double x3 = input[j + i + 3];
            a0 += table[k + i] * x0;
            a1 += table[k + i + 1] * x1;
            a2 += table[k + i + 2] * x2;
            a3 += table[k + i + 3] * x3;
            b0 += table[k2 + i] * x0;
            b1 += table[k2 + i + 1] * x1;
            b2 += table[k2 + i + 2] * x2;
            b3 += table[k2 + i + 3] * x3;
        }
        for (; i < taps; i++) {
            a0 += table[k + i] * input[j + i];
            b0 += table[k2 + i] * input[j + i];
        }
        out[o] = (a0 + a1) + (a2 + a3);
        out[o + 1] = (b0 + b1) + (b2 + b3);
    }

    /**
     * Whether {@link #convert} applies: a whole-number decimation ({@code up == 1}: every output at
     * phase 0) or interpolation ({@code down == 1}, a tabulated row per phase).
     */
    boolean wholeRatio() {
        return up == 1 || (down == 1 && phases == up);
    }

    /**
     * {@code out.length} consecutive outputs of a {@linkplain #wholeRatio whole-number ratio} of mono
     * {@code input}, the first at phase {@code phase} of the window starting at frame {@code first}: the
     * same sums in the same order as {@link #apply}, so the same results, two outputs at a time. A
     * decimation pairs outputs {@code down} frames apart (a WebRTC caller's 48 kHz to 16 kHz was the
     * largest Java cost of a voice server); an interpolation pairs neighbouring phases of one window
     * (a phone caller's 8 kHz turn to 16 kHz).
     */
    void convert(double[] input, int first, int phase, double[] out) {
        int o = 0;
        if (up == 1) {
            for (; o + 1 < out.length; o += 2) {
                dotWindows(input, first + o * down, out, o);
            }
            if (o < out.length) {
                out[o] = dot(input, first + o * down, 1, 0, 0);
            }
            return;
        }
        int j = first;
        int p = phase;
        while (o < out.length) {
            if (p + 1 < up && o + 1 < out.length) {
                dotPhases(input, j, p, out, o);
                o += 2;
                p += 2;
            } else {
                out[o++] = dot(input, j, 1, 0, p++);
            }
            if (p == up) {
                p = 0;
                j++;
            }
        }
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used). */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
