package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** FastRTC's test_utils.py expectations for audio_to_float32 / audio_to_int16, plus clipping where FastRTC overflows. */
class PcmTest {

    @Test
    void int16ToFloatDividesBy32768() {
        assertThat(Pcm.toFloat32(new short[] {-32768, 0, 32767})).containsExactly(-1.0f, 0.0f, 32767 / 32768f);
        assertThat(Pcm.toFloat32(new short[] {16384, -1})).containsExactly(0.5f, -1 / 32768f);
    }

    @Test
    void floatToInt16MapsUnitRangeExactlyLikeFastRtc() {
        assertThat(Pcm.toInt16(new float[] {-1f, 0f, 1f})).containsExactly((short) -32767, (short) 0, (short) 32767);
    }

    @Test
    void floatToInt16TruncatesTowardZeroLikeNumpyAstype() {
        // 0.5 * 32767 = 16383.5 -> 16383; -0.5 -> -16383 (numpy's astype(int16) truncates).
        assertThat(Pcm.toInt16(new float[] {0.5f, -0.5f, 0.99999f})).containsExactly((short) 16383, (short) -16383,
                (short) (0.99999f * 32767f));
    }

    @Test
    void floatToInt16ClipsOutOfRangeInsteadOfWrapping() {
        assertThat(Pcm.toInt16(new float[] {1.5f, -3f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}))
                .containsExactly((short) 32767, (short) -32767, (short) 32767, (short) -32767, (short) 0);
    }

    @Test
    void emptyArraysStayEmpty() {
        assertThat(Pcm.toFloat32(new short[0])).isEmpty();
        assertThat(Pcm.toInt16(new float[0])).isEmpty();
        assertThat(Pcm.fromLittleEndian(new byte[0])).isEmpty();
        assertThat(Pcm.toLittleEndian(new short[0])).isEmpty();
    }

    @Test
    void roundTripThroughFloatLosesAtMostOneStep() {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            int back = Pcm.toInt16(Pcm.toFloat32((short) s));
            assertThat(Math.abs(back - s)).as("sample %d", s).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void littleEndianBytes() {
        short[] samples = {0x0102, (short) 0xFEFF, Short.MIN_VALUE, Short.MAX_VALUE};
        byte[] bytes = Pcm.toLittleEndian(samples);
        assertThat(bytes).containsExactly(0x02, 0x01, 0xFF, 0xFE, 0x00, 0x80, 0xFF, 0x7F);
        assertThat(Pcm.fromLittleEndian(bytes)).containsExactly(samples);
    }

    @Test
    void oddByteCountIsRejected() {
        assertThatThrownBy(() -> Pcm.fromLittleEndian(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("even number of bytes, got 3")
                .hasMessageContaining("Pcm16Aggregator");
    }

    @Test
    void nullIsRejectedWithItsName() {
        assertThatThrownBy(() -> Pcm.toFloat32((short[]) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("samples");
        assertThatThrownBy(() -> Pcm.fromLittleEndian(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("bytes");
    }
}
