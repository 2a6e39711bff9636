package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class AudioFrameTest {

    @Test
    void describesItsFormatAndDuration() {
        AudioFrame frame = AudioFrame.ofPcm16(48000, 2, new short[1920]);
        assertThat(frame.sampleRate()).isEqualTo(48000);
        assertThat(frame.channels()).isEqualTo(2);
        assertThat(frame.samplesPerChannel()).isEqualTo(960);
        assertThat(frame.durationMillis()).isEqualTo(20.0);
        assertThat(frame.isEmpty()).isFalse();
        assertThat(frame).hasToString("AudioFrame[48000 Hz stereo, 960 samples, 20.0 ms]");
    }

    @Test
    void isImmutable() {
        short[] samples = {1, 2, 3};
        AudioFrame frame = AudioFrame.ofPcm16(16000, 1, samples);
        samples[0] = 99;
        frame.toPcm16()[1] = 99;
        assertThat(frame.toPcm16()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> frame.samples().put(0, (short) 5)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void isAnEmitThatCanCarryOutputs() {
        AudioFrame frame = AudioFrame.silence(24000, 1, 20);
        Emit emit = frame.with(AdditionalOutputs.of("hi"));
        assertThat(emit).isInstanceOf(Emit.WithOutputs.class);
        assertThat(((Emit.WithOutputs) emit).media()).isSameAs(frame);
    }

    @Test
    void floatFactoryAndViewUseFastRtcScaling() {
        AudioFrame frame = AudioFrame.ofFloat(16000, 1, new float[] {-1f, 0f, 1f, 2f});
        assertThat(frame.toPcm16()).containsExactly(-32767, 0, 32767, 32767);
        assertThat(AudioFrame.ofPcm16(16000, 1, new short[] {-32768, 16384}).toFloat()).containsExactly(-1f, 0.5f);
    }

    @Test
    void bytesRoundTrip() {
        AudioFrame frame = AudioFrame.ofPcm16(8000, 2, new short[] {1, -2, 300, -32768});
        byte[] bytes = frame.toBytes();
        assertThat(bytes).hasSize(8);
        assertThat(AudioFrame.fromBytes(8000, 2, bytes)).isEqualTo(frame);
    }

    @Test
    void fromBytesRejectsPartialSamplesAndPartialStereoFrames() {
        assertThatThrownBy(() -> AudioFrame.fromBytes(16000, 1, new byte[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even number of bytes, got 5");
        assertThatThrownBy(() -> AudioFrame.fromBytes(16000, 2, new byte[6]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interleaved stereo needs an even number of samples, got 3");
    }

    @Test
    void silenceHasTheRequestedLength() {
        AudioFrame silence = AudioFrame.silence(44100, 2, 20);
        assertThat(silence.samplesPerChannel()).isEqualTo(882);
        assertThat(silence.toPcm16()).hasSize(1764).containsOnly(0);
        assertThat(AudioFrame.silence(8000, 1, 0).isEmpty()).isTrue();
        assertThatThrownBy(() -> AudioFrame.silence(8000, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1.0");
        assertThatThrownBy(() -> AudioFrame.silence(8000, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesRatesAndChannels() {
        assertThatThrownBy(() -> AudioFrame.ofPcm16(7999, 1, new short[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sample rate must be between 8000 and 192000 Hz, got 7999");
        assertThatThrownBy(() -> AudioFrame.ofPcm16(192001, 1, new short[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 192001");
        assertThatThrownBy(() -> AudioFrame.ofPcm16(48, 1, new short[0]))
                .as("kHz instead of Hz").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioFrame.ofPcm16(16000, 0, new short[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channels must be 1 (mono) or 2 (stereo), got 0");
        assertThatThrownBy(() -> AudioFrame.ofPcm16(16000, 6, new short[12]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 6");
        assertThatThrownBy(() -> AudioFrame.ofPcm16(16000, 2, new short[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass channels=1 for mono");
        assertThatThrownBy(() -> AudioFrame.ofPcm16(16000, 1, null)).isInstanceOf(NullPointerException.class);
        assertThat(AudioFrame.ofPcm16(8000, 1, new short[0]).isEmpty()).isTrue();
        assertThat(AudioFrame.ofPcm16(192000, 2, new short[0]).durationMillis()).isZero();
    }

    @Test
    void monoAveragesAndStereoDuplicates() {
        AudioFrame stereo = AudioFrame.ofPcm16(16000, 2, new short[] {100, 300, -32768, -32768, 32767, 32767, 3, -4});
        AudioFrame mono = stereo.toMono();
        assertThat(mono.channels()).isEqualTo(1);
        assertThat(mono.toPcm16()).containsExactly(200, -32768, 32767, 0);
        assertThat(mono.toMono()).isSameAs(mono);
        assertThat(mono.toStereo().toPcm16()).containsExactly(200, 200, -32768, -32768, 32767, 32767, 0, 0);
        assertThat(stereo.toStereo()).isSameAs(stereo);
        assertThat(stereo.toChannels(1)).isEqualTo(mono);
        assertThatThrownBy(() -> stereo.toChannels(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sampleAccessCountsInstantsAndChannels() {
        AudioFrame stereo = AudioFrame.ofPcm16(16000, 2, new short[] {1, 2, 3, 4});
        assertThat(stereo.sample(1, 0)).isEqualTo((short) 3);
        assertThat(stereo.sample(1, 1)).isEqualTo((short) 4);
        assertThatThrownBy(() -> stereo.sample(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> stereo.sample(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void sliceAndConcatWorkInSampleInstants() {
        AudioFrame stereo = AudioFrame.ofPcm16(16000, 2, new short[] {1, 2, 3, 4, 5, 6});
        AudioFrame head = stereo.slice(0, 1);
        AudioFrame tail = stereo.slice(1, 3);
        assertThat(head.toPcm16()).containsExactly(1, 2);
        assertThat(tail.toPcm16()).containsExactly(3, 4, 5, 6);
        assertThat(head.concat(tail)).isEqualTo(stereo);
        assertThat(stereo.slice(2, 2).isEmpty()).isTrue();
        assertThatThrownBy(() -> stereo.slice(2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> stereo.slice(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void concatRefusesMixedFormats() {
        AudioFrame a = AudioFrame.silence(16000, 1, 10);
        assertThatThrownBy(() -> a.concat(AudioFrame.silence(24000, 1, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("24000 Hz mono audio to 16000 Hz mono audio");
        assertThatThrownBy(() -> a.concat(AudioFrame.silence(16000, 2, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stereo");
    }

    @Test
    void equalityIsByFormatAndContent() {
        AudioFrame a = AudioFrame.ofPcm16(16000, 1, new short[] {1, 2});
        assertThat(a).isEqualTo(AudioFrame.ofPcm16(16000, 1, new short[] {1, 2}))
                .hasSameHashCodeAs(AudioFrame.ofPcm16(16000, 1, new short[] {1, 2}))
                .isNotEqualTo(AudioFrame.ofPcm16(24000, 1, new short[] {1, 2}))
                .isNotEqualTo(AudioFrame.ofPcm16(16000, 2, new short[] {1, 2}))
                .isNotEqualTo(AudioFrame.ofPcm16(16000, 1, new short[] {1, 3}));
    }

    @Test
    void resampleChangesRateAndKeepsDuration() {
        AudioFrame tone = AudioFrame.ofPcm16(48000, 1, Signals.sine(48000, 440, 0.5, 4800));
        AudioFrame down = tone.resample(16000);
        assertThat(down.sampleRate()).isEqualTo(16000);
        assertThat(down.durationMillis()).isEqualTo(tone.durationMillis());
        assertThat(Signals.amplitudeAt(down.toPcm16(), 16000, 440, 160, 1440)).isCloseTo(0.5, within(0.001));
        assertThat(tone.resample(48000)).isSameAs(tone);
        assertThatThrownBy(() -> tone.resample(4000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 4000");
    }
}
