package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fastrtc.testing.Speech;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The socket transports' audio conversions (µ-law at 8 kHz to and from the handlers' 16, 24 and
 * 48 kHz, as {@link AudioChunker} does them on the way in and out) against the JDK's own codecs in
 * {@code javax.sound.sampled}: its G.711 µ-law encoder and decoder, and its "sinc" sample-rate
 * converter.
 *
 * <p>The JDK's converter is not a sample-exact reference: it runs {@value #JDK_LATENCY} input
 * samples late (compensated here) plus a fraction of an output sample, leaves images when
 * upsampling and droops in the passband when downsampling (6 dB at 2.85 kHz from 48 kHz, where ours
 * is flat to 3.6 kHz). So the comparison is per tone of a multi-tone test signal: the same timing
 * (phases equal up to that constant fraction of a sample), the same amplitude wherever the JDK's
 * converter is itself flat; and ours keeps every tone's amplitude and phase.
 */
class TelephoneAudioJdkTest {

    /** Measured: the JDK's sinc resampler delays its output by 17 samples of its input. */
    static final int JDK_LATENCY = 17;
    static final double[] TONES = new double[16];

    static {
        for (int k = 0; k < TONES.length; k++) {
            TONES[k] = 150 + 180 * k; // 150 Hz to 2850 Hz, inside the telephone band
        }
    }

    /** Our way: {@link AudioChunker} (the transports' resampling), then {@link MuLaw}. */
    static byte[] ours(short[] pcm, int in, int out) {
        AudioChunker chunker = new AudioChunker(out, 1);
        AudioFrame all = AudioFrame.ofPcm16(out, 1, new short[0]);
        for (List<AudioFrame> frames : List.of(chunker.push(AudioFrame.ofPcm16(in, 1, pcm)), chunker.flush())) {
            for (AudioFrame f : frames) {
                all = all.concat(f);
            }
        }
        return MuLaw.encode(all.toPcm16());
    }

    /** The JDK's way: its sinc converter, then its µ-law encoder. */
    static byte[] jdk(short[] pcm, int in, int out) throws Exception {
        AudioFormat source = new AudioFormat(in, 16, 1, true, false);
        AudioFormat target = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, out, 16, 1, 2, out, false,
                Map.of("interpolation", "sinc"));
        byte[] resampled = AudioSystem.getAudioInputStream(target,
                new AudioInputStream(new ByteArrayInputStream(Pcm.toLittleEndian(pcm)), source, pcm.length))
                .readAllBytes();
        return jdkEncode(Pcm.fromLittleEndian(resampled), out);
    }

    static byte[] jdkEncode(short[] pcm, int rate) throws Exception {
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(Pcm.toLittleEndian(pcm)),
                new AudioFormat(rate, 16, 1, true, false), pcm.length);
        return AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, in).readAllBytes();
    }

    static short[] jdkDecode(byte[] ulaw, int rate) throws Exception {
        AudioFormat format = new AudioFormat(AudioFormat.Encoding.ULAW, rate, 8, 1, 1, rate, false);
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(ulaw), format, ulaw.length);
        return Pcm.fromLittleEndian(AudioSystem.getAudioInputStream(new AudioFormat(rate, 16, 1, true, false), in)
                .readAllBytes());
    }

    /** Sixteen equal tones with random phases and a syllable-rate envelope, at about -16 dBFS. */
    static short[] tones(int rate, double seconds) {
        Random random = new Random(7);
        double[] phase = new double[TONES.length];
        for (int k = 0; k < phase.length; k++) {
            phase[k] = random.nextDouble() * 2 * Math.PI;
        }
        short[] out = new short[(int) (rate * seconds)];
        for (int i = 0; i < out.length; i++) {
            double t = (double) i / rate;
            double v = 0;
            for (int k = 0; k < TONES.length; k++) {
                v += Math.sin(2 * Math.PI * TONES[k] * t + phase[k]);
            }
            out[i] = (short) Math.round(v / TONES.length * 1500 * (1 + 0.8 * Math.sin(2 * Math.PI * 4 * t)));
        }
        return out;
    }

    static double degrees(double radians) {
        double d = Math.toDegrees(radians) % 360;
        return d > 180 ? d - 360 : d < -180 ? d + 360 : d;
    }

    @ParameterizedTest
    @CsvSource({"16000, 8000", "24000, 8000", "48000, 8000", "8000, 16000", "8000, 24000", "8000, 48000"})
    void resamplingToAndFromThePhoneAgreesWithTheJdk(int in, int out) throws Exception {
        short[] source = tones(in, 2.0);
        short[] mine = jdkDecode(ours(source, in, out), out);
        short[] theirs = jdkDecode(jdk(Arrays.copyOfRange(source, JDK_LATENCY, source.length), in, out), out);
        int from = out / 4;
        int to = out * 7 / 4;
        double[] jdkLag = new double[TONES.length];
        int comparedAmplitudes = 0;
        for (int k = 0; k < TONES.length; k++) {
            double f = TONES[k];
            double original = Signals.amplitudeAt(source, in, f, in / 4, in * 7 / 4);
            double ourAmplitude = Signals.amplitudeAt(mine, out, f, from, to);
            double jdkAmplitude = Signals.amplitudeAt(theirs, out, f, from, to);
            double ourPhase = Signals.phaseAt(mine, out, f, from, to);
            assertThat(degrees(ourPhase - Signals.phaseAt(source, in, f, in / 4, in * 7 / 4)))
                    .as("our phase at %.0f Hz", f).isCloseTo(0, within(1.0));
            assertThat(ourAmplitude / original).as("our gain at %.0f Hz", f).isCloseTo(1, within(0.01));
            jdkLag[k] = degrees(Signals.phaseAt(theirs, out, f, from, to) - ourPhase) / 360 / f;
            if (Math.abs(jdkAmplitude / original - 1) < 0.01) {
                assertThat(ourAmplitude / jdkAmplitude).as("gain against the JDK at %.0f Hz", f)
                        .isCloseTo(1, within(0.02));
                comparedAmplitudes++;
            }
        }
        assertThat(comparedAmplitudes).as("tones where the JDK's converter is flat").isGreaterThanOrEqualTo(3);
        // The JDK's output is ours delayed by a constant fraction of a sample: the same timing.
        double lag = Arrays.stream(jdkLag).average().orElseThrow();
        assertThat(Math.abs(lag) * out).as("JDK's lag in output samples").isLessThan(1);
        for (int k = 0; k < TONES.length; k++) {
            assertThat((jdkLag[k] - lag) * 360 * TONES[k]).as("phase beyond the JDK's lag at %.0f Hz", TONES[k])
                    .isCloseTo(0, within(1.0));
        }
    }

    @Test
    void speechForThePhoneEncodesAndDecodesExactlyAsTheJdkDoes() throws Exception {
        AudioFrame speech = Speech.say("hello there this is a test of the voice agent");
        AudioChunker chunker = new AudioChunker(8000, 1);
        AudioFrame phone = AudioFrame.ofPcm16(8000, 1, new short[0]);
        for (AudioFrame f : chunker.push(speech.resample(24000))) {
            phone = phone.concat(f);
        }
        short[] pcm = phone.toPcm16();
        byte[] mine = MuLaw.encode(pcm);
        assertThat(mine).hasSizeGreaterThan(8000);
        assertThat(jdkEncode(pcm, 8000)).containsExactly(mine);
        assertThat(jdkDecode(mine, 8000)).containsExactly(MuLaw.decode(mine));
    }
}
