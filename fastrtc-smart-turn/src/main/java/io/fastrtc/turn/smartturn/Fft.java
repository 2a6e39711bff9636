package io.fastrtc.turn.smartturn;

import java.util.Arrays;

/**
 * A mixed-radix Cooley-Tukey FFT for sizes that factor into small primes: Whisper's 400-point frame
 * is 2⁴·5², which a power-of-two FFT cannot do without resampling the spectrum. Immutable and
 * thread-safe; each call brings its own buffers.
 */
final class Fft {

    private final int size;
    private static final int MAX_RADIX = 7;

    private final int[] radices;
    /** Per recursion depth, the table entries of e^(-2πi·rq/p) at [q·p + r] for that depth's radix p. */
    private final int[][] butterflies;
    /** e^(-2πik/size) for k = 0..size-1. */
    private final double[] cos;
    private final double[] sin;

    Fft(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        this.size = size;
        this.radices = factor(size);
        this.butterflies = new int[radices.length][];
        for (int depth = 0; depth < radices.length; depth++) {
            int p = radices[depth];
            butterflies[depth] = new int[p * p];
            for (int q = 0; q < p; q++) {
                for (int r = 0; r < p; r++) {
                    butterflies[depth][q * p + r] = (r * q % p) * (size / p);
                }
            }
        }
        this.cos = new double[size];
        this.sin = new double[size];
        for (int k = 0; k < size; k++) {
            double angle = -2 * Math.PI * k / size;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
    }

    private static int[] factor(int n) {
        int[] out = new int[32];
        int count = 0;
        for (int p = 2; n > 1; p++) {
            while (n % p == 0) {
                if (p > MAX_RADIX) {
                    throw new IllegalArgumentException("sizes with prime factors above 7 are not supported");
                }
                out[count++] = p;
                n /= p;
            }
        }
        return Arrays.copyOf(out, count);
    }

    int size() {
        return size;
    }

    /**
     * The discrete Fourier transform of {@code re + i·im} (each of {@link #size} values) into
     * {@code outRe + i·outIm}: X[k] = Σ x[n]·e^(-2πikn/N).
     */
    void transform(double[] re, double[] im, double[] outRe, double[] outIm) {
        double[] scratch = new double[2 * MAX_RADIX];
        transform(re, im, 0, 1, size, 0, outRe, outIm, 0, scratch);
    }

    /** The DFT of the {@code n} inputs at {@code in + j·stride} into {@code out..out+n}. */
    private void transform(double[] re, double[] im, int in, int stride, int n, int depth,
            double[] outRe, double[] outIm, int out, double[] scratch) {
        if (n == 1) {
            outRe[out] = re[in];
            outIm[out] = im[in];
            return;
        }
        int p = radices[depth];
        int m = n / p;
        // Decimation in time: sub-transform r takes inputs r, r+p, r+2p, ... and lands at out + r·m.
        for (int r = 0; r < p; r++) {
            transform(re, im, in + r * stride, stride * p, m, depth + 1, outRe, outIm, out + r * m, scratch);
        }
        // X[k + q·m] = Σ_r (e^(-2πi·rk/n)·Y_r[k])·e^(-2πi·rq/p): twiddle, then a p-point DFT, in place.
        int step = size / n;
        int[] butterfly = butterflies[depth];
        for (int k = 0; k < m; k++) {
            for (int r = 0; r < p; r++) {
                int at = out + r * m + k;
                int t = r * k * step;
                scratch[r] = outRe[at] * cos[t] - outIm[at] * sin[t];
                scratch[MAX_RADIX + r] = outRe[at] * sin[t] + outIm[at] * cos[t];
            }
            for (int q = 0; q < p; q++) {
                double accRe = 0;
                double accIm = 0;
                for (int r = 0; r < p; r++) {
                    int t = butterfly[q * p + r];
                    accRe += scratch[r] * cos[t] - scratch[MAX_RADIX + r] * sin[t];
                    accIm += scratch[r] * sin[t] + scratch[MAX_RADIX + r] * cos[t];
                }
                outRe[out + k + q * m] = accRe;
                outIm[out + k + q * m] = accIm;
            }
        }
    }
}
