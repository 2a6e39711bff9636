package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Pcm16AggregatorTest {

    private static final short[] SAMPLES = {0x0102, (short) 0xA0B0, -1, Short.MIN_VALUE, Short.MAX_VALUE, 7, -300};
    private static final byte[] BYTES = Pcm.toLittleEndian(SAMPLES);

    @Test
    void carriesTheOddByteToTheNextChunk() {
        Pcm16Aggregator aggregator = new Pcm16Aggregator();
        assertThat(aggregator.push(Arrays.copyOfRange(BYTES, 0, 3))).containsExactly(SAMPLES[0]);
        assertThat(aggregator.pendingBytes()).isEqualTo(1);
        assertThat(aggregator.push(Arrays.copyOfRange(BYTES, 3, 4))).containsExactly(SAMPLES[1]);
        assertThat(aggregator.pendingBytes()).isZero();
        assertThat(aggregator.push(new byte[0])).isEmpty();
        assertThat(aggregator.push(Arrays.copyOfRange(BYTES, 4, 5))).isEmpty();
        assertThat(aggregator.push(Arrays.copyOfRange(BYTES, 5, 14))).containsExactly(SAMPLES[2], SAMPLES[3],
                SAMPLES[4], SAMPLES[5], SAMPLES[6]);
    }

    @Test
    void anySplitOfTheStreamGivesTheSameSamples() {
        Random random = new Random(7);
        short[] samples = new short[5000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) random.nextInt();
        }
        byte[] bytes = Pcm.toLittleEndian(samples);
        for (int trial = 0; trial < 20; trial++) {
            Pcm16Aggregator aggregator = new Pcm16Aggregator();
            short[] out = new short[0];
            for (int from = 0; from < bytes.length; ) {
                int to = Math.min(bytes.length, from + random.nextInt(9));
                short[] got = aggregator.push(Arrays.copyOfRange(bytes, from, to));
                short[] joined = Arrays.copyOf(out, out.length + got.length);
                System.arraycopy(got, 0, joined, out.length, got.length);
                out = joined;
                from = to;
            }
            assertThat(out).containsExactly(samples);
            assertThat(aggregator.pendingBytes()).isZero();
        }
    }

    @Test
    void stereoKeepsWholeFrames() {
        Pcm16Aggregator aggregator = new Pcm16Aggregator(2);
        assertThat(aggregator.push(Arrays.copyOfRange(BYTES, 0, 3))).isEmpty();
        assertThat(aggregator.pendingBytes()).isEqualTo(3);
        AudioFrame frame = aggregator.pushFrame(24000, Arrays.copyOfRange(BYTES, 3, 11));
        assertThat(frame.channels()).isEqualTo(2);
        assertThat(frame.sampleRate()).isEqualTo(24000);
        assertThat(frame.toPcm16()).containsExactly(SAMPLES[0], SAMPLES[1], SAMPLES[2], SAMPLES[3]);
        assertThat(aggregator.pendingBytes()).isEqualTo(3);
        aggregator.reset();
        assertThat(aggregator.pendingBytes()).isZero();
        assertThat(aggregator.pushFrame(24000, new byte[2]).isEmpty()).isTrue();
    }

    @Test
    void generatorFormSkipsChunksThatCompleteNoSample() {
        List<byte[]> chunks = List.of(new byte[0], Arrays.copyOfRange(BYTES, 0, 1), Arrays.copyOfRange(BYTES, 1, 5),
                new byte[0], Arrays.copyOfRange(BYTES, 5, 6), Arrays.copyOfRange(BYTES, 6, 14), new byte[] {9});
        Iterator<short[]> it = Pcm16Aggregator.aggregate(chunks.iterator());
        List<short[]> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        // [] and the lone first byte complete nothing and are skipped; the final odd byte is dropped.
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).containsExactly(SAMPLES[0], SAMPLES[1]);
        assertThat(out.get(1)).containsExactly(SAMPLES[2]);
        assertThat(out.get(2)).containsExactly(SAMPLES[3], SAMPLES[4], SAMPLES[5], SAMPLES[6]);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new Pcm16Aggregator(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 3");
        assertThatThrownBy(() -> new Pcm16Aggregator().push(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Pcm16Aggregator().pushFrame(1000, new byte[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1000");
        assertThatThrownBy(() -> Pcm16Aggregator.aggregate(null)).isInstanceOf(NullPointerException.class);
    }
}
