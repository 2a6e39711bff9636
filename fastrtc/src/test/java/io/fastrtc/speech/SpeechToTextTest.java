package io.fastrtc.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SpeechToTextTest {

    @Test
    void anyRecogniserCanBeFedLiveAndTranscribesAtTheEnd() {
        List<AudioFrame> asked = new CopyOnWriteArrayList<>();
        SpeechToText stt = audio -> {
            asked.add(audio);
            return "heard " + audio.samplesPerChannel() + " samples at " + audio.sampleRate();
        };
        List<Transcript> heard = new CopyOnWriteArrayList<>();
        LiveTranscription live = stt.live(heard::add);
        live.send(AudioFrame.silence(16000, 1, 10));
        live.send(AudioFrame.silence(48000, 2, 20)); // converted to the first frame's format
        assertThat(asked).as("nothing is transcribed before the end").isEmpty();
        assertThat(live.finish()).isEqualTo("heard 480 samples at 16000");
        assertThat(asked).hasSize(1);
        assertThat(heard).containsExactly(new Transcript("heard 480 samples at 16000", true, true));
        assertThatThrownBy(() -> live.send(AudioFrame.silence(16000, 1, 10)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("open another with live(...)");

        LiveTranscription empty = stt.live(heard::add);
        assertThat(empty.finish()).isEmpty();
        assertThat(asked).as("no audio, no transcription").hasSize(1);
    }
}
