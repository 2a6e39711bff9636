package io.fastrtc.audio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test signals, measurements and the external reference tools (sox, espeak-ng). */
final class Signals {

    private Signals() {
    }

    /** {@code n} samples of a sine at {@code amplitude} (fraction of full scale). */
    static short[] sine(int rate, double frequency, double amplitude, int n) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return out;
    }

    /** Exponential sweep from {@code f0} to {@code f1} Hz. */
    static short[] sweep(int rate, double f0, double f1, double amplitude, int n) {
        short[] out = new short[n];
        double k = Math.log(f1 / f0);
        double duration = (double) n / rate;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double phase = 2 * Math.PI * f0 * duration / k * (Math.exp(t / duration * k) - 1);
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(phase));
        }
        return out;
    }

    /** Amplitude (fraction of full scale) of the component at {@code frequency}, by least squares over [from, to). */
    static double amplitudeAt(short[] x, int rate, double frequency, int from, int to) {
        double[] fit = fit(x, rate, frequency, from, to);
        return Math.hypot(fit[0], fit[1]) / 32767;
    }

    /** Phase in radians (of a sine) of the component at {@code frequency}, by least squares over [from, to). */
    static double phaseAt(short[] x, int rate, double frequency, int from, int to) {
        double[] fit = fit(x, rate, frequency, from, to);
        return Math.atan2(fit[1], fit[0]);
    }

    /** Ratio in dB of the signal to what remains after removing the best-fitting sine at {@code frequency}. */
    static double sineSnrDb(short[] x, int rate, double frequency, int from, int to) {
        double[] fit = fit(x, rate, frequency, from, to);
        double signal = 0;
        double residual = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / rate;
            double model = fit[0] * Math.sin(w) + fit[1] * Math.cos(w);
            signal += model * model;
            residual += (x[i] - model) * (x[i] - model);
        }
        return 10 * Math.log10(signal / residual);
    }

    private static double[] fit(short[] x, int rate, double frequency, int from, int to) {
        double ss = 0;
        double sc = 0;
        double cc = 0;
        double xs = 0;
        double xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * frequency * i / rate;
            double s = Math.sin(w);
            double c = Math.cos(w);
            ss += s * s;
            sc += s * c;
            cc += c * c;
            xs += x[i] * s;
            xc += x[i] * c;
        }
        double det = ss * cc - sc * sc;
        return new double[] {(xs * cc - xc * sc) / det, (xc * ss - xs * sc) / det};
    }

    /** Frequency from the (linearly interpolated) times of the first and last upward zero crossings in [from, to). */
    static double zeroCrossingFrequency(short[] x, int rate, int from, int to) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double t = i - 1 + (double) -x[i - 1] / (x[i] - x[i - 1]);
                if (first < 0) {
                    first = t;
                }
                last = t;
                crossings++;
            }
        }
        return (crossings - 1) * (double) rate / (last - first);
    }

    static double rms(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Signal-to-difference ratio of {@code actual} against {@code reference} over [from, to), in dB. */
    static double snrDb(short[] reference, short[] actual, int from, int to) {
        double signal = 0;
        double noise = 0;
        for (int i = from; i < to; i++) {
            signal += (double) reference[i] * reference[i];
            double d = actual[i] - reference[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / noise);
    }

    /** Channel {@code channel} of interleaved stereo. */
    static short[] channel(short[] interleaved, int channel) {
        short[] out = new short[interleaved.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = interleaved[2 * i + channel];
        }
        return out;
    }

    /** Runs a tool to completion (skipping the test when it is not installed) and returns its stdout. */
    static byte[] run(Path dir, String... command) throws IOException, InterruptedException {
        assumeTrue(installed(command[0]), command[0] + " is not installed; the reference comparison is skipped");
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out;
    }

    private static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Path.of(dir, tool).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }
}
