package io.fastrtc.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.HandlerSession;
import io.fastrtc.handler.Inputs;
import io.fastrtc.speech.freetts.FreeTtsTextToSpeech;
import io.fastrtc.speech.pocketsphinx.PocketSphinxSpeechToText;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnStopWords;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplyOnStopWords} with real speech (FreeTTS), a real recogniser (pocketsphinx) and the
 * default speech detector, driven frame by frame as the input thread of a connection would.
 */
class StopWordsWithSpeechTest {

    static final int RATE = 48000;
    static final int FRAME = RATE / 50;
    static final SpeechToText STT = new PocketSphinxSpeechToText();
    static FreeTtsTextToSpeech tts;

    @BeforeAll
    static void load() {
        tts = new FreeTtsTextToSpeech().warmup();
    }

    /** Records what the handler sends to the client. */
    static final class Session implements HandlerSession, Context {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public Context context() {
            return this;
        }

        @Override
        public void sendMessage(String text) {
            messages.add(text);
        }

        @Override
        public void clearQueue() {
        }

        @Override
        public boolean outputPending() {
            return false;
        }

        @Override
        public Inputs waitForInputs(Duration timeout) {
            return Inputs.of(List.of());
        }

        @Override
        public Inputs latestInputs() {
            return Inputs.of(List.of());
        }

        @Override
        public boolean phoneMode() {
            return false;
        }

        @Override
        public String webrtcId() {
            return "stop-words";
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message) {
        }
    }

    final Session session = new Session();
    final List<AudioFrame> replied = new CopyOnWriteArrayList<>();

    ReplyOnStopWords handler() {
        ReplyOnStopWords handler = ReplyOnStopWords.builder(audio -> {
            replied.add(audio);
            return Reply.of(tts.synthesize("It is noon."));
        }, STT, "computer").build().copy();
        handler.attach(session);
        return handler;
    }

    /** Half a second of quiet, {@code text} spoken, two and a half seconds of quiet: 20 ms frame by frame. */
    static void say(ReplyOnStopWords handler, String text) {
        AudioFrame audio = AudioFrame.silence(RATE, 1, 500)
                .concat(tts.synthesize(text).resample(RATE))
                .concat(AudioFrame.silence(RATE, 1, 2500));
        for (int at = 0; at + FRAME <= audio.samplesPerChannel(); at += FRAME) {
            handler.receive(audio.slice(at, at + FRAME));
        }
    }

    static int replyItems(ReplyOnStopWords handler) throws Exception {
        int n = 0;
        for (Emit e = handler.emit(); e != null; e = handler.emit()) {
            n++;
        }
        return n;
    }

    boolean stopwordSent() {
        return session.messages.contains("{\"type\":\"stopword\",\"data\":\"\"}");
    }

    @Test
    void theStopWordOpensATurnAndTheRestOfTheSentenceIsTheQuestion() throws Exception {
        ReplyOnStopWords handler = handler();
        say(handler, "computer, what time is it");
        assertThat(stopwordSent()).isTrue();
        assertThat(replyItems(handler)).isEqualTo(1);
        assertThat(replied).hasSize(1);
        String question = STT.transcribe(replied.get(0));
        assertThat(question).as("what followed the stop word").contains("time").doesNotContain("computer");
    }

    @Test
    void aSentenceWithoutTheStopWordIsIgnored() throws Exception {
        ReplyOnStopWords handler = handler();
        say(handler, "what time is it");
        assertThat(stopwordSent()).isFalse();
        assertThat(replyItems(handler)).isZero();
        assertThat(replied).isEmpty();
        assertThat(session.messages).isEmpty();
    }
}
