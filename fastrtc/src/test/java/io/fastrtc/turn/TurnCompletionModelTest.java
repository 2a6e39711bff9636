package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fastrtc.audio.AudioFrame;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TurnCompletionModelTest {

    @Test
    void theHookHearsAnyAudioFrameAs16kHzMono() {
        AtomicReference<float[]> heard = new AtomicReference<>();
        TurnCompletionModel model = turn -> {
            heard.set(turn);
            return turn.length / 16000.0;
        };
        short[] stereo = new short[2 * 4800]; // 100 ms at 48 kHz
        for (int i = 0; i < 4800; i++) {
            stereo[2 * i] = 16384;
            stereo[2 * i + 1] = 0;
        }
        double probability = model.completionProbability(AudioFrame.ofPcm16(48000, 2, stereo));
        assertThat(heard.get()).hasSize(1600);
        assertThat(probability).isEqualTo(0.1);
        // Left at half scale, right silent: the mono mix is a quarter of full scale, kept by the resampler.
        assertThat(heard.get()[800]).isCloseTo(0.25f, within(0.01f));
    }
}
