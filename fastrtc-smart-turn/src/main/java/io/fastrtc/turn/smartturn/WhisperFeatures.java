package io.fastrtc.turn.smartturn;

import java.util.Objects;

/**
 * Smart Turn v3's input: the last 8 s of a turn at 16 kHz (zero-padded at the front when shorter,
 * so the speech sits at the end), as the 80 × 800 log-mel matrix of Hugging Face's
 * {@code WhisperFeatureExtractor(chunk_length=8)} with {@code do_normalize=True}: the waveform
 * normalised to zero mean and unit variance; centred 400-point frames every 160 samples
 * (reflect-padded, periodic Hann window); power spectrum; 80 Slaney mel filters up to 8 kHz;
 * log10 floored at 1e-10; the last frame dropped; values below the matrix's maximum minus 8
 * raised to it; then (x + 4) / 4.
 *
 * <p>Spectra are computed in double precision as the reference implementation does, and the
 * normalisation in single precision as it does. Stateless and thread-safe.
 */
final class WhisperFeatures {

    static final int SAMPLE_RATE = 16000;
    /** 8 s: the most audio Smart Turn v3 looks at. */
    static final int WINDOW_SAMPLES = 8 * SAMPLE_RATE;
    static final int N_FFT = 400;
    static final int HOP = 160;
    static final int MELS = 80;
    static final int FRAMES = WINDOW_SAMPLES / HOP;
    static final int BINS = N_FFT / 2 + 1;

    private static final double MEL_FLOOR = 1e-10;
    private static final float VARIANCE_EPSILON = 1e-7f;
    private static final double DYNAMIC_RANGE = 8.0;
    private static final Fft FFT = new Fft(N_FFT);
    private static final double[] HANN = periodicHann();
    private static final double[][] FILTERBANK = filterbank();
    /** Per filter, the first and one past the last FFT bin with a non-zero weight. */
    private static final int[] FIRST_BIN = new int[MELS];
    private static final int[] END_BIN = new int[MELS];

    static {
        for (int m = 0; m < MELS; m++) {
            int first = 0;
            while (first < BINS && FILTERBANK[first][m] == 0) {
                first++;
            }
            int end = BINS;
            while (end > first && FILTERBANK[end - 1][m] == 0) {
                end--;
            }
            FIRST_BIN[m] = first;
            END_BIN[m] = end;
        }
    }

    private WhisperFeatures() {
    }

    /**
     * The features of {@code audio} (16 kHz mono), row-major {@code [mel][frame]}: the
     * {@code [80, 800]} tensor Smart Turn v3 takes, without its batch axis.
     */
    static float[] extract(float[] audio) {
        float[] window = normalize(lastEightSeconds(audio));
        double[] logMel = new double[MELS * FRAMES];
        double max = Double.NEGATIVE_INFINITY;
        double[] frameRe = new double[N_FFT];
        double[] frameIm = new double[N_FFT];
        double[] spectrumRe = new double[N_FFT];
        double[] spectrumIm = new double[N_FFT];
        double[] powerEven = new double[BINS];
        double[] powerOdd = new double[BINS];
        // 801 centred frames fit in 128,000 samples; the extractor drops the last, so it is never computed.
        // Two real frames per complex FFT: frame t as the real part, frame t + 1 as the imaginary part.
        for (int t = 0; t < FRAMES; t += 2) {
            int start = t * HOP - N_FFT / 2;
            for (int i = 0; i < N_FFT; i++) {
                frameRe[i] = window[reflect(start + i)] * HANN[i];
                frameIm[i] = window[reflect(start + HOP + i)] * HANN[i];
            }
            FFT.transform(frameRe, frameIm, spectrumRe, spectrumIm);
            for (int k = 0; k < BINS; k++) {
                int mirror = (N_FFT - k) % N_FFT;
                double sumRe = spectrumRe[k] + spectrumRe[mirror];
                double diffRe = spectrumRe[k] - spectrumRe[mirror];
                double sumIm = spectrumIm[k] + spectrumIm[mirror];
                double diffIm = spectrumIm[k] - spectrumIm[mirror];
                powerEven[k] = (sumRe * sumRe + diffIm * diffIm) / 4;
                powerOdd[k] = (sumIm * sumIm + diffRe * diffRe) / 4;
            }
            max = Math.max(max, logMel(powerEven, logMel, t));
            max = Math.max(max, logMel(powerOdd, logMel, t + 1));
        }
        float[] features = new float[logMel.length];
        double floor = max - DYNAMIC_RANGE;
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) ((Math.max(logMel[i], floor) + 4.0) / 4.0);
        }
        return features;
    }

    /** Fills frame {@code t} of {@code logMel} from a power spectrum; returns the frame's largest value. */
    private static double logMel(double[] power, double[] logMel, int t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < MELS; m++) {
            double energy = 0;
            for (int k = FIRST_BIN[m]; k < END_BIN[m]; k++) {
                energy += FILTERBANK[k][m] * power[k];
            }
            double value = Math.log10(Math.max(MEL_FLOOR, energy));
            logMel[m * FRAMES + t] = value;
            max = Math.max(max, value);
        }
        return max;
    }

    /** The last 8 s of {@code audio}, zero-padded at the front to exactly 8 s. */
    static float[] lastEightSeconds(float[] audio) {
        Objects.requireNonNull(audio, "audio");
        float[] window = new float[WINDOW_SAMPLES];
        int kept = Math.min(audio.length, WINDOW_SAMPLES);
        System.arraycopy(audio, audio.length - kept, window, WINDOW_SAMPLES - kept, kept);
        return window;
    }

    /** Zero mean, unit (population) variance, in place; silence stays silence. */
    private static float[] normalize(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        float mean = (float) (sum / x.length);
        double squares = 0;
        for (float v : x) {
            float d = v - mean;
            squares += (double) d * d;
        }
        float scale = (float) Math.sqrt((float) (squares / x.length) + VARIANCE_EPSILON);
        for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - mean) / scale;
        }
        return x;
    }

    /** An index of the 8 s window, mirrored at both ends without repeating the edge sample. */
    private static int reflect(int i) {
        if (i < 0) {
            return -i;
        }
        return i < WINDOW_SAMPLES ? i : 2 * (WINDOW_SAMPLES - 1) - i;
    }

    private static double[] periodicHann() {
        double[] window = new double[N_FFT];
        for (int n = 0; n < N_FFT; n++) {
            window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / N_FFT);
        }
        return window;
    }

    /**
     * The {@code [201 bins][80 filters]} matrix: triangles spaced evenly on the Slaney mel scale
     * from 0 Hz to 8 kHz, each scaled by 2 / its width in Hz (Slaney's equal-area norm).
     */
    static double[][] filterbank() {
        double[] edges = new double[MELS + 2];
        double top = hzToMel(SAMPLE_RATE / 2.0);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(top * i / (MELS + 1));
        }
        double[][] bank = new double[BINS][MELS];
        for (int k = 0; k < BINS; k++) {
            double hz = (double) k * SAMPLE_RATE / N_FFT;
            for (int m = 0; m < MELS; m++) {
                double rising = (hz - edges[m]) / (edges[m + 1] - edges[m]);
                double falling = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
                bank[k][m] = Math.max(0, Math.min(rising, falling)) * 2 / (edges[m + 2] - edges[m]);
            }
        }
        return bank;
    }

    /** Slaney's mel scale: linear below 1 kHz, logarithmic above. */
    private static double hzToMel(double hz) {
        return hz < 1000 ? 3 * hz / 200 : 15 + Math.log(hz / 1000) * 27 / Math.log(6.4);
    }

    private static double melToHz(double mel) {
        return mel < 15 ? 200 * mel / 3 : 1000 * Math.exp((mel - 15) * Math.log(6.4) / 27);
    }
}
