package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsMonoAndStereo() throws Exception {
        AudioFrame mono = AudioFrame.ofPcm16(16000, 1, Signals.sine(16000, 440, 0.5, 1600));
        AudioFrame stereo = AudioFrame.ofPcm16(44100, 2, new short[] {1, -1, Short.MAX_VALUE, Short.MIN_VALUE});
        assertThat(Wav.read(Wav.write(mono))).isEqualTo(mono);
        assertThat(Wav.read(Wav.write(stereo))).isEqualTo(stereo);
        Wav.write(stereo, dir.resolve("s.wav"));
        assertThat(Wav.read(dir.resolve("s.wav"))).isEqualTo(stereo);
        AudioFrame empty = AudioFrame.ofPcm16(8000, 1, new short[0]);
        assertThat(Wav.write(empty)).hasSize(44);
        assertThat(Wav.read(Wav.write(empty))).isEqualTo(empty);
    }

    @Test
    void writesTheCanonicalHeader() {
        byte[] wav = Wav.write(AudioFrame.ofPcm16(24000, 2, new short[] {0x0102, 0x0304}));
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).isEqualTo(40);
        assertThat(new String(wav, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getInt(16)).isEqualTo(16);
        assertThat(b.getShort(20)).isEqualTo((short) 1);
        assertThat(b.getShort(22)).isEqualTo((short) 2);
        assertThat(b.getInt(24)).isEqualTo(24000);
        assertThat(b.getInt(28)).isEqualTo(96000);
        assertThat(b.getShort(32)).isEqualTo((short) 4);
        assertThat(b.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(wav, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).isEqualTo(4);
        assertThat(Arrays.copyOfRange(wav, 44, 48)).containsExactly(0x02, 0x01, 0x04, 0x03);
    }

    @Test
    void readsEspeakOutputLikeSoxDoes() throws Exception {
        // espeak-ng declares a data chunk slightly longer than the file; sox and this reader stop at the end.
        Signals.run(dir, "espeak-ng", "-w", "e.wav", "Reading a file made by espeak.");
        AudioFrame speech = Wav.read(dir.resolve("e.wav"));
        byte[] soxRaw = Signals.run(dir, "sox", "e.wav", "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "-");
        assertThat(speech.sampleRate()).isEqualTo(22050);
        assertThat(speech.channels()).isEqualTo(1);
        assertThat(speech.toBytes()).isEqualTo(soxRaw);
        assertThat(Signals.rms(speech.toPcm16(), 0, speech.samplesPerChannel())).isGreaterThan(300);
    }

    @Test
    void readsStereoMadeBySoxAndSoxReadsOurFiles() throws Exception {
        Signals.run(dir, "sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "st.wav", "synth", "0.5", "sine", "440",
                "sine", "880");
        AudioFrame stereo = Wav.read(dir.resolve("st.wav"));
        assertThat(stereo.sampleRate()).isEqualTo(44100);
        assertThat(stereo.channels()).isEqualTo(2);
        assertThat(stereo.samplesPerChannel()).isEqualTo(22050);
        short[] samples = stereo.toPcm16();
        assertThat(Signals.zeroCrossingFrequency(Signals.channel(samples, 0), 44100, 0, 22050)).isBetween(439.0, 441.0);
        assertThat(Signals.zeroCrossingFrequency(Signals.channel(samples, 1), 44100, 0, 22050)).isBetween(879.0, 881.0);

        Wav.write(stereo, dir.resolve("ours.wav"));
        byte[] soxRaw = Signals.run(dir, "sox", "ours.wav", "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "-");
        assertThat(soxRaw).isEqualTo(stereo.toBytes());
        assertThat(new String(Signals.run(dir, "sox", "--i", "-r", "ours.wav"), StandardCharsets.US_ASCII).trim())
                .isEqualTo("44100");
    }

    @Test
    void rejectsOtherEncodingsWithAnExplanation() throws Exception {
        Signals.run(dir, "sox", "-n", "-r", "16000", "-e", "floating-point", "-b", "32", "f.wav", "synth", "0.1",
                "sine", "440");
        Signals.run(dir, "sox", "-n", "-r", "8000", "-e", "u-law", "u.wav", "synth", "0.1", "sine", "440");
        Signals.run(dir, "sox", "-n", "-r", "16000", "-b", "24", "p24.wav", "synth", "0.1", "sine", "440");
        Signals.run(dir, "sox", "-n", "-r", "16000", "-b", "16", "-c", "6", "six.wav", "synth", "0.1", "sine", "440");
        assertThatThrownBy(() -> Wav.read(dir.resolve("f.wav"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IEEE float, 32 bits").hasMessageContaining("only 16-bit PCM");
        assertThatThrownBy(() -> Wav.read(dir.resolve("u.wav"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("µ-law");
        assertThatThrownBy(() -> Wav.read(dir.resolve("p24.wav"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("24 bits");
        assertThatThrownBy(() -> Wav.read(dir.resolve("six.wav"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 channels");
    }

    @Test
    void rejectsDamagedFiles() {
        byte[] good = Wav.write(AudioFrame.ofPcm16(16000, 1, new short[] {1, 2, 3}));
        assertThatThrownBy(() -> Wav.read(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a WAV file");
        byte[] mp3ish = "ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Wav.read(mp3ish)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RIFF/WAVE");
        assertThatThrownBy(() -> Wav.read(Arrays.copyOf(good, 20))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fmt chunk is truncated");
        assertThatThrownBy(() -> Wav.read(Arrays.copyOf(good, 36))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no data chunk");
        byte[] rate = good.clone();
        ByteBuffer.wrap(rate).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 4000);
        assertThatThrownBy(() -> Wav.read(rate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample rate 4000 Hz");
    }

    @Test
    void skipsUnknownChunksAndToleratesTruncatedData() {
        byte[] good = Wav.write(AudioFrame.ofPcm16(16000, 2, new short[] {1, 2, 3, 4}));
        // Insert an odd-sized LIST chunk (padded to even) between fmt and data.
        byte[] list = {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0};
        byte[] withList = new byte[good.length + list.length];
        System.arraycopy(good, 0, withList, 0, 36);
        System.arraycopy(list, 0, withList, 36, list.length);
        System.arraycopy(good, 36, withList, 36 + list.length, good.length - 36);
        assertThat(Wav.read(withList).toPcm16()).containsExactly(1, 2, 3, 4);
        // A file cut inside the second stereo frame keeps the whole first frame.
        assertThat(Wav.read(Arrays.copyOf(good, 44 + 6)).toPcm16()).containsExactly(1, 2);
        // Streaming writers put 0xFFFFFFFF as the data size.
        byte[] streaming = good.clone();
        ByteBuffer.wrap(streaming).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1);
        assertThat(Wav.read(streaming).toPcm16()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> Wav.read(dir.resolve("missing.wav"))).isInstanceOf(java.io.IOException.class);
        assertThat(Files.exists(dir.resolve("missing.wav"))).isFalse();
    }
}
