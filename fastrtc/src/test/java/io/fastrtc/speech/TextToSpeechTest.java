package io.fastrtc.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TextToSpeechTest {

    /** "Speaks" 10 ms of a constant level per character, and records what it was asked. */
    static final class CountingVoice implements TextToSpeech {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public AudioFrame synthesize(String text) {
            asked.add(text);
            short[] s = new short[text.length() * 240];
            Arrays.fill(s, (short) 1000);
            return AudioFrame.ofPcm16(24000, 1, s);
        }
    }

    @Test
    void splitsSentencesAsFastRtcDoes() {
        assertThat(TextToSpeech.sentences("Hello there. How are you?  Fine!\nGood")).containsExactly(
                "Hello there.", "How are you?", "Fine!", "Good");
        assertThat(TextToSpeech.sentences("Version 1.5 is out... Really")).containsExactly(
                "Version 1.5 is out...", "Really");
        assertThat(TextToSpeech.sentences("  ")).isEmpty();
        assertThat(TextToSpeech.sentences("No end")).containsExactly("No end");
    }

    @Test
    void streamsOneSentenceAtATimeWithAPauseBeforeEachLaterOne() {
        CountingVoice voice = new CountingVoice();
        Iterator<AudioFrame> speech = voice.stream("Hi. How are you?");
        assertThat(voice.asked).as("nothing synthesised before it is asked for").isEmpty();

        AudioFrame first = speech.next();
        assertThat(voice.asked).containsExactly("Hi.");
        assertThat(first.samplesPerChannel()).isEqualTo(3 * 240);

        AudioFrame second = speech.next();
        assertThat(voice.asked).containsExactly("Hi.", "How are you?");
        int pause = 24000 / 7;
        assertThat(second.samplesPerChannel()).isEqualTo(pause + 12 * 240);
        assertThat(second.sample(pause - 1, 0)).isZero();
        assertThat(second.sample(pause, 0)).isEqualTo((short) 1000);
        assertThat(second.sampleRate()).isEqualTo(24000);

        assertThat(speech.hasNext()).isFalse();
        assertThatThrownBy(speech::next).isInstanceOf(NoSuchElementException.class);
    }

    /** hasNext, on another thread, with a deadline (false also if it is still waiting). */
    static boolean ready(Iterator<AudioFrame> speech) throws Exception {
        try {
            return CompletableFuture.supplyAsync(speech::hasNext).get(2, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Test
    void liveSpeechSpeaksEachSentenceAsSoonAsItIsComplete() throws Exception {
        CountingVoice voice = new CountingVoice();
        LiveSpeech speech = voice.live();
        speech.append("Hel");
        speech.append("lo there");
        assertThat(ready(speech)).as("no sentence is complete yet").isFalse();
        speech.append(".");
        assertThat(ready(speech)).as("a sentence ends only where white space follows (1.5 is no end)").isFalse();
        speech.append(" How are");
        assertThat(speech.next().samplesPerChannel()).isEqualTo("Hello there.".length() * 240);
        assertThat(voice.asked).containsExactly("Hello there.");
        speech.append(" you? Fine");
        AudioFrame second = speech.next();
        assertThat(second.samplesPerChannel()).as("with the pause").isEqualTo(24000 / 7 + "How are you?".length() * 240);
        speech.append(" thanks");
        speech.finish();
        speech.append("ignored after finish. ");
        assertThat(speech.next().samplesPerChannel()).isEqualTo(24000 / 7 + "Fine thanks".length() * 240);
        assertThat(speech.hasNext()).isFalse();
        assertThat(voice.asked).containsExactly("Hello there.", "How are you?", "Fine thanks");
    }

    @Test
    void closingLiveSpeechWakesItsReader() throws Exception {
        CountingVoice voice = new CountingVoice();
        LiveSpeech speech = voice.live();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(speech::hasNext);
        Thread.sleep(100); // let it block
        speech.close();
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isFalse();
        speech.append("Too late. ");
        assertThat(speech.hasNext()).isFalse();
        assertThat(voice.asked).isEmpty();
    }
}
