package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** Rate pairs of the FastRTC pipelines (Opus 48k, VAD/STT 16k, TTS 24k/22.05k, phone 8k) plus awkward ones. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"48000,16000", "16000,48000", "48000,8000", "8000,48000", "24000,48000", "48000,24000",
            "44100,48000", "48000,44100", "22050,16000", "16000,24000", "8000,44100", "96000,8000", "44101,48000"})
    void toneKeepsFrequencyAmplitudeAndPurity(int inRate, int outRate) {
        AudioFrame tone = AudioFrame.ofPcm16(inRate, 1, Signals.sine(inRate, 1000, 0.5, inRate));
        short[] out = tone.resample(outRate).toPcm16();
        int edge = outRate / 20; // skip 50 ms where the filter sees the silence around the clip
        assertThat(out).hasSize(outRate);
        assertThat(Signals.zeroCrossingFrequency(out, outRate, edge, out.length - edge)).isCloseTo(1000, within(0.01));
        assertThat(Signals.amplitudeAt(out, outRate, 1000, edge, out.length - edge)).isCloseTo(0.5, within(0.0005));
        // 16-bit quantisation alone limits a half-scale sine to about 92 dB.
        assertThat(Signals.sineSnrDb(out, outRate, 1000, edge, out.length - edge)).isGreaterThan(85);
    }

    @ParameterizedTest(name = "{2} Hz at {0} -> {1}")
    @CsvSource({"48000,16000,10000", "48000,16000,8500", "48000,8000,7000", "44100,16000,9000", "24000,8000,5000",
            "48000,44100,23000"})
    void tonesAboveTheNewNyquistFrequencyAreRemovedNotFoldedBack(int inRate, int outRate, int frequency) {
        AudioFrame tone = AudioFrame.ofPcm16(inRate, 1, Signals.sine(inRate, frequency, 0.9, inRate / 2));
        short[] out = tone.resample(outRate).toPcm16();
        int edge = outRate / 20;
        // Full scale is 32767; at least 100 dB down leaves less than one step of the 16-bit output.
        assertThat(Signals.rms(out, edge, out.length - edge)).isLessThan(1.0);
    }

    @Test
    void toneJustBelowTheNewNyquistFrequencyIsKept() {
        AudioFrame tone = AudioFrame.ofPcm16(48000, 1, Signals.sine(48000, 7000, 0.5, 48000));
        short[] out = tone.resample(16000).toPcm16();
        assertThat(Signals.amplitudeAt(out, 16000, 7000, 800, 15200)).isCloseTo(0.5, within(0.0006));
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} channel(s), chunks of {3}")
    @CsvSource({"48000,16000,1,960", "16000,48000,1,320", "44100,48000,2,882", "48000,24000,2,960",
            "22050,16000,1,1", "44101,48000,1,441", "8000,44100,1,0"})
    void streamingInChunksEqualsConvertingAtOnce(int inRate, int outRate, int channels, int chunk) {
        short[] noise = new short[inRate / 2 * channels + 3 * channels];
        Random random = new Random(42);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (random.nextGaussian() * 6000);
        }
        AudioFrame whole = AudioFrame.ofPcm16(inRate, channels, noise);
        Resampler resampler = new Resampler(inRate, outRate, channels);
        AudioFrame streamed = AudioFrame.ofPcm16(outRate, channels, new short[0]);
        int instants = whole.samplesPerChannel();
        for (int from = 0; from < instants; ) {
            // chunk 0 means irregular sizes, including empty and single-sample chunks
            int size = chunk > 0 ? chunk : random.nextInt(700);
            int to = Math.min(instants, from + size);
            streamed = streamed.concat(resampler.process(whole.slice(from, to)));
            from = to;
        }
        streamed = streamed.concat(resampler.flush());
        assertThat(streamed).isEqualTo(whole.resample(outRate));
        assertThat(streamed.samplesPerChannel()).isEqualTo((int) Math.ceil((double) instants * outRate / inRate));
    }

    /**
     * Whole-number decimations and interpolations take a faster path (two outputs at a time, pairing
     * windows or phases); it must give the same samples.
     */
    @ParameterizedTest(name = "{0} -> {1}, {2} samples in chunks of {3}")
    @CsvSource({"48000,16000,4801,480", "48000,8000,4803,480", "32000,16000,3201,7", "48000,16000,2000,0",
        "8000,16000,1601,160", "8000,16000,1603,0", "8000,24000,801,7", "16000,48000,1602,160", "8000,32000,803,0"})
    void wholeNumberRatiosGiveTheSamplesOfTheFilterAppliedOneOutputAtATime(int inRate, int outRate, int length, int chunk) {
        short[] noise = new short[length];
        Random random = new Random(7);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (random.nextGaussian() * 12000);
        }
        PolyphaseFilter filter = PolyphaseFilter.forRates(inRate, outRate);
        int half = filter.halfLength;
        double[] padded = new double[half - 1 + length + half]; // the stream's start and flush() pad with silence
        for (int i = 0; i < length; i++) {
            padded[half - 1 + i] = noise[i];
        }
        short[] expected = new short[(length * filter.up + filter.down - 1) / filter.down];
        for (int n = 0; n < expected.length; n++) {
            long position = (long) n * filter.down; // in units of 1/up input samples
            long rounded = Math.round(filter.apply(padded, (int) (position / filter.up), 1, 0, position % filter.up));
            expected[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
        }
        Resampler resampler = new Resampler(inRate, outRate, 1);
        AudioFrame streamed = AudioFrame.ofPcm16(outRate, 1, new short[0]);
        AudioFrame whole = AudioFrame.ofPcm16(inRate, 1, noise);
        for (int from = 0; from < length; ) {
            int to = Math.min(length, from + (chunk > 0 ? chunk : 1 + random.nextInt(900)));
            streamed = streamed.concat(resampler.process(whole.slice(from, to)));
            from = to;
        }
        streamed = streamed.concat(resampler.flush());
        assertThat(streamed.toPcm16()).containsExactly(expected);
    }

    @Test
    void holdsBackOnlyTheFilterLookAhead() {
        Resampler resampler = new Resampler(48000, 16000, 1);
        AudioFrame first = resampler.process(AudioFrame.silence(48000, 1, 20));
        int held = (int) Math.ceil(resampler.delay() / 3.0);
        assertThat(resampler.delay()).isBetween(1, 48000 / 100); // under 10 ms of look-ahead
        assertThat(first.samplesPerChannel()).isBetween(320 - held - 1, 320 - held + 1);
        AudioFrame second = resampler.process(AudioFrame.silence(48000, 1, 20));
        assertThat(first.samplesPerChannel() + second.samplesPerChannel()).isBetween(640 - held - 1, 640 - held + 1);
        assertThat(first.samplesPerChannel() + second.samplesPerChannel() + resampler.flush().samplesPerChannel())
                .isEqualTo(640);
    }

    @Test
    void lengthIsTheCeilingOfTheScaledLength() {
        for (int n : new int[] {0, 1, 2, 3, 959, 960, 961}) {
            AudioFrame in = AudioFrame.ofPcm16(48000, 1, new short[n]);
            assertThat(in.resample(16000).samplesPerChannel()).as("n=%d", n).isEqualTo((n + 2) / 3);
            assertThat(in.resample(44100).samplesPerChannel()).isEqualTo((int) Math.ceil(n * 147 / 160.0));
        }
    }

    @Test
    void flushStartsANewStreamAndResetDropsBufferedInput() {
        AudioFrame tone = AudioFrame.ofPcm16(24000, 1, Signals.sine(24000, 440, 0.5, 480));
        Resampler resampler = new Resampler(24000, 48000, 1);
        AudioFrame first = resampler.process(tone).concat(resampler.flush());
        AudioFrame again = resampler.process(tone).concat(resampler.flush());
        assertThat(again).isEqualTo(first);

        resampler.process(tone);
        resampler.reset();
        assertThat(resampler.flush().isEmpty()).isTrue();
        assertThat(resampler.process(tone).concat(resampler.flush())).isEqualTo(first);
    }

    @Test
    void constantStaysConstantAndSilenceStaysSilent() {
        short[] dc = new short[4410];
        java.util.Arrays.fill(dc, (short) 10000);
        short[] out = AudioFrame.ofPcm16(44100, 1, dc).resample(48000).toPcm16();
        short[] interior = java.util.Arrays.copyOfRange(out, 480, out.length - 480);
        assertThat(interior).containsOnly((short) 10000);
        assertThat(AudioFrame.silence(8000, 2, 100).resample(44100).toPcm16()).containsOnly((short) 0);
    }

    @Test
    void stereoChannelsAreConvertedIndependently() {
        short[] left = Signals.sine(48000, 500, 0.5, 24000);
        short[] right = Signals.sine(48000, 1500, 0.25, 24000);
        short[] interleaved = new short[48000];
        for (int i = 0; i < 24000; i++) {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
        }
        short[] out = AudioFrame.ofPcm16(48000, 2, interleaved).resample(16000).toPcm16();
        assertThat(Signals.channel(out, 0))
                .containsExactly(AudioFrame.ofPcm16(48000, 1, left).resample(16000).toPcm16());
        assertThat(Signals.channel(out, 1))
                .containsExactly(AudioFrame.ofPcm16(48000, 1, right).resample(16000).toPcm16());
    }

    @Test
    void overshootOfFullScaleInputIsClippedNotWrapped() {
        short[] square = new short[4800];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 240) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = AudioFrame.ofPcm16(48000, 1, square).resample(44100).toPcm16();
        for (int i = 441; i < out.length - 441; i++) {
            int inputIndex = (int) ((long) i * 48000 / 44100);
            if (inputIndex % 240 > 20 && inputIndex % 240 < 220) { // away from the edges, ringing may overshoot
                assertThat(Math.abs(out[i])).as("sample %d", i).isGreaterThan(30000);
                assertThat(Integer.signum(out[i])).isEqualTo(Integer.signum(square[inputIndex]));
            }
        }
    }

    @Test
    void sameRateIsAPassThrough() {
        Resampler resampler = new Resampler(16000, 16000, 1);
        AudioFrame frame = AudioFrame.ofPcm16(16000, 1, new short[] {1, 2, 3});
        assertThat(resampler.process(frame)).isEqualTo(frame);
        assertThat(resampler.delay()).isZero();
        assertThat(resampler.flush().isEmpty()).isTrue();
    }

    @Test
    void rejectsBadFormats() {
        assertThatThrownBy(() -> new Resampler(48000, 1000, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1000");
        assertThatThrownBy(() -> new Resampler(0, 16000, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Resampler(48000, 16000, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 3");
        Resampler mono = new Resampler(48000, 16000, 1);
        assertThatThrownBy(() -> mono.process(AudioFrame.silence(48000, 2, 20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("48000 Hz with 1 channel(s), got AudioFrame[48000 Hz stereo");
        assertThatThrownBy(() -> mono.process(AudioFrame.silence(44100, 1, 20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("44100 Hz mono");
        assertThatThrownBy(() -> mono.process(null)).isInstanceOf(NullPointerException.class);
    }
}
