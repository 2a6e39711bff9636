package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** Checks the codec against the JDK's own G.711 implementation over every input. */
class MuLawTest {

    private static final AudioFormat PCM = new AudioFormat(8000, 16, 1, true, false);
    private static final AudioFormat ULAW = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);

    /** Samples whose biased magnitude overflows the JDK's {@code short} arithmetic (see MuLaw's class comment). */
    private static boolean jdkOverflows(int sample) {
        return sample > 32635 || sample < -32635;
    }

    @Test
    void encodingMatchesTheJdkForEverySample() throws IOException {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i + Short.MIN_VALUE);
        }
        byte[] jdk = jdkEncode(all);
        byte[] ours = MuLaw.encode(all);
        assertThat(jdk).hasSize(65536);
        int compared = 0;
        for (int i = 0; i < all.length; i++) {
            if (!jdkOverflows(all[i])) {
                assertThat(ours[i]).as("sample %d", all[i]).isEqualTo(jdk[i]);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(65536 - 265);
    }

    @Test
    void nearFullScaleClipsToTheLoudestCodeWhereTheJdkWrapsToSilence() throws IOException {
        short[] loud = {32636, 32767, -32636, -32768};
        assertThat(MuLaw.encode(loud)).containsExactly(0x80, 0x80, 0x00, 0x00);
        assertThat(MuLaw.decode(MuLaw.encode(loud))).containsExactly(32124, 32124, -32124, -32124);
        // The JDK bug this avoids: full scale comes back as (nearly) nothing.
        assertThat(Math.abs(MuLaw.decode(jdkEncode(new short[] {32767})[0]))).isLessThan(100);
    }

    @Test
    void decodingMatchesTheJdkForEveryCode() throws IOException {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        AudioInputStream ulaw = new AudioInputStream(new ByteArrayInputStream(codes), ULAW, codes.length);
        short[] jdk = Pcm.fromLittleEndian(AudioSystem.getAudioInputStream(PCM, ulaw).readAllBytes());
        assertThat(MuLaw.decode(codes)).containsExactly(jdk);
    }

    @Test
    void knownCodesFromTheStandard() {
        assertThat(MuLaw.encode((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(MuLaw.decode((byte) 0xFF)).isZero();
        assertThat(MuLaw.decode((byte) 0x7F)).isZero(); // "negative zero"
        assertThat(MuLaw.decode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(MuLaw.decode((byte) 0x00)).isEqualTo((short) -32124);
    }

    @Test
    void roundTripErrorStaysWithinTheQuantisationStep() {
        for (int s = -32635; s <= 32635; s++) {
            int back = MuLaw.decode(MuLaw.encode((short) s));
            // µ-law steps double per segment (8 to 1024) and decoding returns the middle of the step.
            int step = Integer.highestOneBit(Math.abs(s) + 0x84) >> 4;
            assertThat(Math.abs(back - s)).as("sample %d", s).isLessThanOrEqualTo(step / 2);
        }
    }

    @Test
    void handlesEmptyAndNull() {
        assertThat(MuLaw.encode(new short[0])).isEmpty();
        assertThat(MuLaw.decode(new byte[0])).isEmpty();
        assertThatThrownBy(() -> MuLaw.encode((short[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MuLaw.decode((byte[]) null)).isInstanceOf(NullPointerException.class);
    }

    private static byte[] jdkEncode(short[] samples) throws IOException {
        byte[] pcm = Pcm.toLittleEndian(samples);
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), PCM, samples.length);
        return AudioSystem.getAudioInputStream(AudioFormat.Encoding.ULAW, in).readAllBytes();
    }
}
