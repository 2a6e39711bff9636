package io.fastrtc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Test audio for voice activity detection: speech synthesised by espeak-ng, noise, energy measurements. */
public final class Speech {

    /** Level that separates espeak-ng's speech from its (digital) silence: 10 ms RMS above -40 dBFS. */
    private static final double ACTIVE_RMS = 32768 * 0.01;

    private Speech() {
    }

    /**
     * {@code text} spoken by espeak-ng (22050 Hz mono), trimmed to the part louder than -40 dBFS, so
     * the clip starts and ends with speech. Skips the test when espeak-ng is not installed.
     */
    public static AudioFrame say(String text) throws IOException, InterruptedException {
        return say(text, 175); // espeak-ng's default rate
    }

    /** The same, spoken at {@code wordsPerMinute}. */
    public static AudioFrame say(String text, int wordsPerMinute) throws IOException, InterruptedException {
        assumeTrue(onPath("espeak-ng"), "espeak-ng is not installed; speech tests are skipped");
        Path file = Files.createTempFile("fastrtc-speech", ".wav");
        try {
            Process process = new ProcessBuilder("espeak-ng", "-s", String.valueOf(wordsPerMinute), "-w",
                    file.toString(), text)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("espeak-ng failed for: " + text);
            }
            AudioFrame speech = Wav.read(file);
            int[] span = activeSpan(speech);
            return speech.slice(span[0], span[1]);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The first and last (exclusive) sample of the 10 ms blocks louder than -40 dBFS, i.e. where a
     * clip's speech starts and ends by energy; {@code [0, 0]} for a clip without any.
     */
    public static int[] activeSpan(AudioFrame mono) {
        int block = mono.sampleRate() / 100;
        int first = -1;
        int last = -1;
        for (int start = 0; start + block <= mono.samplesPerChannel(); start += block) {
            double sum = 0;
            for (int i = start; i < start + block; i++) {
                double s = mono.sample(i, 0);
                sum += s * s;
            }
            if (Math.sqrt(sum / block) > ACTIVE_RMS) {
                if (first < 0) {
                    first = start;
                }
                last = start + block;
            }
        }
        return first < 0 ? new int[] {0, 0} : new int[] {first, last};
    }

    /** Gaussian white noise with the given RMS (fraction of full scale), reproducible by seed. */
    public static AudioFrame whiteNoise(int rate, double seconds, double rms, long seed) {
        Random random = new Random(seed);
        short[] out = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, random.nextGaussian() * rms * 32767));
        }
        return AudioFrame.ofPcm16(rate, 1, out);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
