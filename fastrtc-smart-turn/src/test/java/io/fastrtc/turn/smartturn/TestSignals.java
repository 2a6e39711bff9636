package io.fastrtc.turn.smartturn;

/**
 * The test signals of {@code scripts/whisper_reference.py}, generated with the same arithmetic in the
 * same order so that both sides analyse the same samples.
 */
final class TestSignals {

    static final String[] NAMES = {"sine440_1s", "voiced_10s", "quiet_noise_300ms", "zeros_2s"};
    private static final int RATE = 16000;

    private TestSignals() {
    }

    static float[] signal(String name) {
        switch (name) {
            case "sine440_1s": {
                float[] out = new float[RATE];
                for (int n = 0; n < out.length; n++) {
                    out[n] = (float) (0.5 * Math.sin(2.0 * Math.PI * 440.0 * ((double) n / RATE)));
                }
                return out;
            }
            case "voiced_10s":
                return voiced(10 * RATE);
            case "quiet_noise_300ms": {
                double[] noise = lcgNoise(RATE * 3 / 10, 42);
                double[] x = new double[noise.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 0.002 * noise[i];
                }
                return toPcm16Float(x);
            }
            case "zeros_2s":
                return new float[2 * RATE];
            default:
                throw new IllegalArgumentException(name);
        }
    }

    /** A voice-like buzz: ten harmonics of a pitch gliding from 120 to 220 Hz, three syllables a second, some noise. */
    private static float[] voiced(int count) {
        double[] noise = lcgNoise(count, 7);
        double[] x = new double[count];
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            double t = (double) i / RATE;
            cumulative += 120.0 + 100.0 * t / 10.0;
            double phase = 2.0 * Math.PI * cumulative / RATE;
            double voice = 0;
            for (int k = 1; k <= 10; k++) {
                voice += Math.sin(k * phase) / k;
            }
            double envelope = Math.abs(Math.sin(2.0 * Math.PI * 3.0 * t));
            x[i] = 0.2 * envelope * voice + 0.02 * noise[i];
        }
        return toPcm16Float(x);
    }

    /** Uniform noise in [-0.5, 0.5) from the script's 31-bit linear congruential generator. */
    private static double[] lcgNoise(int count, long seed) {
        double[] out = new double[count];
        long state = seed;
        for (int i = 0; i < count; i++) {
            state = (state * 1103515245L + 12345L) % (1L << 31);
            out[i] = state / (double) (1L << 31) - 0.5;
        }
        return out;
    }

    private static float[] toPcm16Float(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double q = Math.max(-32768, Math.min(32767, Math.floor(x[i] * 32768.0 + 0.5)));
            out[i] = (float) (q / 32768.0);
        }
        return out;
    }
}
