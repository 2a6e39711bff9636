package io.fastrtc.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioChunkerTest {

    @Test
    void emitsExact20msFramesAndKeepsTheRemainder() {
        AudioChunker chunker = new AudioChunker(48000, 1);
        assertThat(chunker.samplesPerFrame()).isEqualTo(960);
        assertThat(chunker.push(AudioFrame.silence(48000, 1, 15))).isEmpty();
        List<AudioFrame> frames = chunker.push(AudioFrame.silence(48000, 1, 30));
        assertThat(frames).hasSize(2).allSatisfy(f -> {
            assertThat(f.sampleRate()).isEqualTo(48000);
            assertThat(f.channels()).isEqualTo(1);
            assertThat(f.samplesPerChannel()).isEqualTo(960);
        });
        List<AudioFrame> rest = chunker.flush();
        assertThat(rest).hasSize(1);
        assertThat(rest.get(0).samplesPerChannel()).isEqualTo(960); // 5 ms padded with silence
        assertThat(chunker.flush()).isEmpty();
    }

    @Test
    void emitsTenMillisecondFramesWhenAskedAndRefusesOtherLengths() {
        AudioChunker chunker = new AudioChunker(48000, 1, 10);
        assertThat(chunker.samplesPerFrame()).isEqualTo(480);
        assertThat(chunker.push(AudioFrame.silence(48000, 1, 25))).hasSize(2)
                .allSatisfy(f -> assertThat(f.samplesPerChannel()).isEqualTo(480));
        assertThat(chunker.flush()).hasSize(1);
        assertThat(new AudioChunker(8000, 2, 10).push(AudioFrame.silence(8000, 2, 10)).get(0).samplesPerChannel())
                .isEqualTo(80);
        assertThatThrownBy(() -> new AudioChunker(48000, 1, 30)).hasMessage("frames are 10 or 20 ms, got 30");
        assertThatThrownBy(() -> new AudioChunker(22050, 1, 10))
                .hasMessage("output sample rate must be a multiple of 100, got 22050");
    }

    @Test
    void sameFormatPassesSamplesThroughUnchanged() {
        short[] tone = Signals.sine(48000, 440, 0.5, 960 * 3 + 100);
        AudioChunker chunker = new AudioChunker(48000, 1);
        List<AudioFrame> frames = new ArrayList<>(chunker.push(AudioFrame.ofPcm16(48000, 1, tone)));
        frames.addAll(chunker.flush());
        short[] out = join(frames).toPcm16();
        assertThat(out).hasSize(960 * 4);
        assertThat(java.util.Arrays.copyOf(out, tone.length)).containsExactly(tone);
        assertThat(java.util.Arrays.copyOfRange(out, tone.length, out.length)).containsOnly((short) 0);
    }

    @Test
    void resamplesAndUpmixesAReplyStreamedInOddPieces() {
        // A TTS reply at 24 kHz mono, arriving in uneven pieces, becomes 48 kHz stereo WebRTC frames.
        short[] tone = Signals.sine(24000, 1000, 0.5, 24000);
        AudioChunker chunker = new AudioChunker(48000, 2);
        List<AudioFrame> frames = new ArrayList<>();
        int[] sizes = {1, 333, 4800, 17, 2500};
        for (int from = 0, k = 0; from < tone.length; k++) {
            int to = Math.min(tone.length, from + sizes[k % sizes.length]);
            frames.addAll(chunker.push(AudioFrame.ofPcm16(24000, 1, java.util.Arrays.copyOfRange(tone, from, to))));
            from = to;
        }
        frames.addAll(chunker.flush());
        assertThat(frames).hasSize(50).allSatisfy(f -> {
            assertThat(f.samplesPerChannel()).isEqualTo(960);
            assertThat(f.channels()).isEqualTo(2);
        });
        short[] out = join(frames).toPcm16();
        short[] left = Signals.channel(out, 0);
        assertThat(Signals.channel(out, 1)).containsExactly(left);
        // Identical to converting the whole reply at once: the piece boundaries left no trace.
        assertThat(left).containsExactly(AudioFrame.ofPcm16(24000, 1, tone).resample(48000).toPcm16());
        assertThat(Signals.sineSnrDb(left, 48000, 1000, 2400, 45600)).isGreaterThan(85);
    }

    @Test
    void downmixesStereoInputForAMonoTarget() {
        short[] stereo = new short[2 * 1600];
        for (int i = 0; i < 1600; i++) {
            stereo[2 * i] = 1000;
            stereo[2 * i + 1] = 3000;
        }
        AudioChunker chunker = new AudioChunker(16000, 1);
        List<AudioFrame> frames = chunker.push(AudioFrame.ofPcm16(16000, 2, stereo));
        assertThat(frames).hasSize(5);
        assertThat(join(frames).toPcm16()).containsOnly((short) 2000);
    }

    @Test
    void aRateChangeMidStreamFlushesTheOldConverter() {
        AudioChunker chunker = new AudioChunker(16000, 1);
        List<AudioFrame> frames = new ArrayList<>(chunker.push(AudioFrame.silence(48000, 1, 30)));
        frames.addAll(chunker.push(AudioFrame.silence(8000, 1, 30)));
        frames.addAll(chunker.flush());
        assertThat(frames).hasSize(3);
        assertThat(join(frames).durationMillis()).isCloseTo(60, within(0.001));
    }

    @Test
    void clearDropsPendingAudioForBargeIn() {
        AudioChunker chunker = new AudioChunker(24000, 1);
        AudioFrame loud = AudioFrame.ofPcm16(16000, 1, Signals.sine(16000, 300, 0.8, 250));
        chunker.push(loud);
        chunker.clear();
        assertThat(chunker.flush()).isEmpty();
        // The next reply starts clean: its first frame carries none of the dropped audio.
        List<AudioFrame> next = chunker.push(AudioFrame.silence(24000, 1, 20));
        assertThat(next).hasSize(1);
        assertThat(next.get(0).toPcm16()).containsOnly((short) 0);
    }

    @Test
    void rejectsRatesThatAreNotWholeSamplesPer20ms() {
        assertThatThrownBy(() -> new AudioChunker(11025, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output sample rate must be a multiple of 50, got 11025");
        assertThatThrownBy(() -> new AudioChunker(48000, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioChunker(4000, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AudioChunker(48000, 1).push(null)).isInstanceOf(NullPointerException.class);
        AudioChunker chunker = new AudioChunker(44100, 2);
        assertThat(chunker.samplesPerFrame()).isEqualTo(882);
        assertThat(chunker.push(AudioFrame.silence(44100, 2, 0))).isEmpty();
    }

    private static AudioFrame join(List<AudioFrame> frames) {
        AudioFrame all = frames.get(0);
        for (int i = 1; i < frames.size(); i++) {
            all = all.concat(frames.get(i));
        }
        return all;
    }
}
