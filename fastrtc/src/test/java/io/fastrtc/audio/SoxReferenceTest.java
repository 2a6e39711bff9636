package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares the resampler with sox's (the reference the project uses in place of FastRTC's
 * soxr/librosa), on a sweep and on speech synthesised by espeak-ng.
 */
class SoxReferenceTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"48000,16000", "16000,48000", "44100,48000", "48000,44100", "48000,8000", "8000,48000",
            "24000,48000", "22050,16000", "44101,48000"})
    void sweepMatchesSoxWithinRoundingNoise(int inRate, int outRate) throws Exception {
        // Up to 85% of the lower Nyquist frequency: inside both filters' passbands, where they must agree.
        int low = Math.min(inRate, outRate);
        AudioFrame sweep = AudioFrame.ofPcm16(inRate, 1, Signals.sweep(inRate, 50, 0.85 * low / 2, 0.5, 2 * inRate));
        AudioFrame sox = soxResample(sweep, outRate);
        short[] ours = sweep.resample(outRate).toPcm16();
        short[] reference = sox.toPcm16();
        assertThat(ours.length).isBetween(reference.length, reference.length + 1);
        int edge = outRate / 50;
        assertThat(Signals.snrDb(reference, ours, edge, reference.length - edge)).isGreaterThan(90);
    }

    @ParameterizedTest(name = "speech 22050 -> {0}")
    @CsvSource({"16000", "8000", "48000", "24000"})
    void speechMatchesSox(int outRate) throws Exception {
        AudioFrame speech = espeak("The quick brown fox jumps over the lazy dog.");
        short[] reference = soxResample(speech, outRate).toPcm16();
        short[] ours = speech.resample(outRate).toPcm16();
        int edge = outRate / 50;
        // The filters differ only in the last few percent below the lower Nyquist frequency, where speech
        // carries little energy: the difference stays 50 dB below the signal.
        assertThat(Signals.snrDb(reference, ours, edge, reference.length - edge)).isGreaterThan(48);
    }

    @Test
    void chunkedSpeechHasNoSeams() throws Exception {
        AudioFrame speech = espeak("Hello there, this is a streaming test.").resample(48000);
        Resampler resampler = new Resampler(48000, 16000, 1);
        AudioFrame streamed = AudioFrame.ofPcm16(16000, 1, new short[0]);
        for (int from = 0; from < speech.samplesPerChannel(); from += 960) {
            streamed = streamed.concat(resampler.process(
                    speech.slice(from, Math.min(speech.samplesPerChannel(), from + 960))));
        }
        streamed = streamed.concat(resampler.flush());
        short[] reference = soxResample(speech, 16000).toPcm16();
        assertThat(Signals.snrDb(reference, streamed.toPcm16(), 320, reference.length - 320)).isGreaterThan(48);
    }

    private AudioFrame espeak(String text) throws Exception {
        Signals.run(dir, "espeak-ng", "-w", "speech.wav", text);
        AudioFrame speech = Wav.read(dir.resolve("speech.wav"));
        assertThat(speech.sampleRate()).isEqualTo(22050);
        assertThat(speech.durationMillis()).isGreaterThan(1000);
        return speech;
    }

    private AudioFrame soxResample(AudioFrame in, int rate) throws Exception {
        Wav.write(in, dir.resolve("in.wav"));
        // -D: no dither, so the comparison sees the filters and not sox's added noise.
        Signals.run(dir, "sox", "-D", "in.wav", "-r", Integer.toString(rate), "out.wav");
        AudioFrame out = Wav.read(dir.resolve("out.wav"));
        assertThat(out.sampleRate()).isEqualTo(rate);
        return out;
    }
}
