package io.fastrtc.turn.smartturn;

import java.util.ArrayList;
import java.util.List;

/**
 * A mixed-radix Cooley-Tukey FFT for sizes that factor into small primes: Whisper's 400-point frame
 * is 4·4·5·5, which a power-of-two FFT cannot do without resampling the spectrum. Decimation in
 * time: the input is copied in digit-reversed order, then each stage combines {@code p}
 * transforms of size {@code m} into one of size {@code p·m}, with dedicated butterflies for radix
 * 2, 4 and 5. Immutable and thread-safe; each call brings its own buffers.
 */
final class Fft {

    private static final int MAX_RADIX = 7;
    private static final double COS_1 = Math.cos(2 * Math.PI / 5);
    private static final double COS_2 = Math.cos(4 * Math.PI / 5);
    private static final double SIN_1 = Math.sin(2 * Math.PI / 5);
    private static final double SIN_2 = Math.sin(4 * Math.PI / 5);

    private final int size;
    /** Radices from the first stage (smallest transforms) to the last. */
    private final int[] radices;
    /** Output position i starts with input {@code order[i]}. */
    private final int[] order;
    /** e^(-2πik/size) for k = 0..size-1. */
    private final double[] cos;
    private final double[] sin;

    Fft(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        this.size = size;
        this.radices = factor(size);
        this.order = new int[size];
        digitReverse(0, 1, size, radices.length - 1, 0);
        this.cos = new double[size];
        this.sin = new double[size];
        for (int k = 0; k < size; k++) {
            double angle = -2 * Math.PI * k / size;
            cos[k] = Math.cos(angle);
            sin[k] = Math.sin(angle);
        }
    }

    /** The radices in stage order: as many fours as divide {@code n} (fewer, cheaper stages), then primes. */
    private static int[] factor(int n) {
        List<Integer> factors = new ArrayList<>();
        while (n % 4 == 0) {
            factors.add(4);
            n /= 4;
        }
        for (int p = 2; n > 1; p++) {
            while (n % p == 0) {
                if (p > MAX_RADIX) {
                    throw new IllegalArgumentException("sizes with prime factors above " + MAX_RADIX
                            + " are not supported");
                }
                factors.add(p);
                n /= p;
            }
        }
        return factors.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Which input each output position starts from: the recursion of a decimation-in-time FFT, flattened. */
    private void digitReverse(int in, int stride, int n, int stage, int out) {
        if (n == 1) {
            order[out] = in;
            return;
        }
        int p = radices[stage];
        int m = n / p;
        for (int r = 0; r < p; r++) {
            digitReverse(in + r * stride, stride * p, m, stage - 1, out + r * m);
        }
    }

    int size() {
        return size;
    }

    /**
     * The discrete Fourier transform of {@code re + i·im} (each of {@link #size} values) into
     * {@code outRe + i·outIm}: X[k] = Σ x[n]·e^(-2πikn/N).
     */
    void transform(double[] re, double[] im, double[] outRe, double[] outIm) {
        for (int i = 0; i < size; i++) {
            outRe[i] = re[order[i]];
            outIm[i] = im[order[i]];
        }
        double[] yRe = new double[MAX_RADIX];
        double[] yIm = new double[MAX_RADIX];
        int m = 1;
        for (int p : radices) {
            int span = m * p;
            int step = size / span; // e^(-2πi·j/span) is table entry j·step
            for (int block = 0; block < size; block += span) {
                for (int k = 0; k < m; k++) {
                    // X[k + q·m] = Σ_r (e^(-2πi·rk/span)·Y_r[k])·e^(-2πi·rq/p)
                    for (int r = 0; r < p; r++) {
                        int at = block + r * m + k;
                        int t = r * k * step;
                        yRe[r] = outRe[at] * cos[t] - outIm[at] * sin[t];
                        yIm[r] = outRe[at] * sin[t] + outIm[at] * cos[t];
                    }
                    butterfly(p, yRe, yIm, outRe, outIm, block + k, m);
                }
            }
            m = span;
        }
    }

    /** The p-point DFT of {@code y}, written to {@code out[at + q·m]}. */
    private void butterfly(int p, double[] yRe, double[] yIm, double[] outRe, double[] outIm, int at, int m) {
        switch (p) {
            case 2 -> {
                outRe[at] = yRe[0] + yRe[1];
                outIm[at] = yIm[0] + yIm[1];
                outRe[at + m] = yRe[0] - yRe[1];
                outIm[at + m] = yIm[0] - yIm[1];
            }
            case 4 -> {
                double sumRe = yRe[0] + yRe[2];
                double sumIm = yIm[0] + yIm[2];
                double diffRe = yRe[0] - yRe[2];
                double diffIm = yIm[0] - yIm[2];
                double oddSumRe = yRe[1] + yRe[3];
                double oddSumIm = yIm[1] + yIm[3];
                // -i·(y1 - y3)
                double turnRe = yIm[1] - yIm[3];
                double turnIm = yRe[3] - yRe[1];
                outRe[at] = sumRe + oddSumRe;
                outIm[at] = sumIm + oddSumIm;
                outRe[at + m] = diffRe + turnRe;
                outIm[at + m] = diffIm + turnIm;
                outRe[at + 2 * m] = sumRe - oddSumRe;
                outIm[at + 2 * m] = sumIm - oddSumIm;
                outRe[at + 3 * m] = diffRe - turnRe;
                outIm[at + 3 * m] = diffIm - turnIm;
            }
            case 5 -> {
                // Pairs (1, 4) and (2, 3) share cosines and have opposite sines.
                double s14Re = yRe[1] + yRe[4];
                double s14Im = yIm[1] + yIm[4];
                double s23Re = yRe[2] + yRe[3];
                double s23Im = yIm[2] + yIm[3];
                double d14Re = yRe[1] - yRe[4];
                double d14Im = yIm[1] - yIm[4];
                double d23Re = yRe[2] - yRe[3];
                double d23Im = yIm[2] - yIm[3];
                double a1Re = yRe[0] + COS_1 * s14Re + COS_2 * s23Re;
                double a1Im = yIm[0] + COS_1 * s14Im + COS_2 * s23Im;
                double a2Re = yRe[0] + COS_2 * s14Re + COS_1 * s23Re;
                double a2Im = yIm[0] + COS_2 * s14Im + COS_1 * s23Im;
                double b1Re = SIN_1 * d14Re + SIN_2 * d23Re;
                double b1Im = SIN_1 * d14Im + SIN_2 * d23Im;
                double b2Re = SIN_2 * d14Re - SIN_1 * d23Re;
                double b2Im = SIN_2 * d14Im - SIN_1 * d23Im;
                outRe[at] = yRe[0] + s14Re + s23Re;
                outIm[at] = yIm[0] + s14Im + s23Im;
                // X1 = a1 - i·b1, X4 = a1 + i·b1, X2 = a2 - i·b2, X3 = a2 + i·b2
                outRe[at + m] = a1Re + b1Im;
                outIm[at + m] = a1Im - b1Re;
                outRe[at + 4 * m] = a1Re - b1Im;
                outIm[at + 4 * m] = a1Im + b1Re;
                outRe[at + 2 * m] = a2Re + b2Im;
                outIm[at + 2 * m] = a2Im - b2Re;
                outRe[at + 3 * m] = a2Re - b2Im;
                outIm[at + 3 * m] = a2Im + b2Re;
            }
            default -> {
                int step = size / p;
                for (int q = 0; q < p; q++) {
                    double accRe = 0;
                    double accIm = 0;
                    for (int r = 0; r < p; r++) {
                        int t = r * q % p * step;
                        accRe += yRe[r] * cos[t] - yIm[r] * sin[t];
                        accIm += yRe[r] * sin[t] + yIm[r] * cos[t];
                    }
                    outRe[at + q * m] = accRe;
                    outIm[at + q * m] = accIm;
                }
            }
        }
    }
}
