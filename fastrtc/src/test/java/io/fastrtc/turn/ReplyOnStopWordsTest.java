package io.fastrtc.turn;

import static io.fastrtc.turn.ReplyOnPauseTest.drain;
import static io.fastrtc.turn.ReplyOnPauseTest.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.turn.ReplyOnPauseTest.FakeSession;
import io.fastrtc.turn.ReplyOnPauseTest.LoudnessModel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The stop-word state machine, driven frame by frame with a scripted recogniser. */
class ReplyOnStopWordsTest {

    /** Says whatever the test last set, and records what it was asked to transcribe. */
    static final class ScriptedStt implements SpeechToText {
        volatile String text = "";
        final List<AudioFrame> calls = new CopyOnWriteArrayList<>();

        @Override
        public String transcribe(AudioFrame audio) {
            calls.add(audio);
            return text;
        }
    }

    static long stopwordMessages(FakeSession session) {
        return session.messages.stream().filter(m -> m.equals("{\"type\":\"stopword\",\"data\":\"\"}")).count();
    }

    final FakeSession session = new FakeSession();
    final ScriptedStt stt = new ScriptedStt();
    final List<AudioFrame> heard = new CopyOnWriteArrayList<>();

    ReplyOnStopWords handler(String... stopWords) {
        ReplyOnStopWords handler = ReplyOnStopWords.builder(audio -> {
            heard.add(audio);
            return Reply.of(audio);
        }, stt, stopWords).model(new LoudnessModel()).build().copy();
        handler.attach(session);
        return handler;
    }

    @Test
    void matchesStopWordsAsFastRtcDoes() {
        ReplyOnStopWords h = ReplyOnStopWords.builder(audio -> Reply.of(), stt, "computer", "Hey  Assistant")
                .build();
        assertThat(h.stopWordDetected("computer what time is it")).isTrue();
        assertThat(h.stopWordDetected("Computer, what time is it?")).isTrue();
        assertThat(h.stopWordDetected("ok COMPUTER.")).isTrue();
        assertThat(h.stopWordDetected("hey\tassistant! lights on")).isTrue();
        assertThat(h.stopWordDetected("computers are everywhere")).isFalse();
        assertThat(h.stopWordDetected("supercomputer")).isFalse();
        assertThat(h.stopWordDetected("hey, assistant")).isFalse();
        assertThat(h.stopWordDetected("")).isFalse();
        assertThat(h.stopWords()).containsExactly("computer", "Hey  Assistant");
    }

    @Test
    void stopWordsAreRegexSafe() {
        ReplyOnStopWords h = ReplyOnStopWords.builder(audio -> Reply.of(), stt, "o.k").build();
        assertThat(h.stopWordDetected("o.k then")).isTrue();
        assertThat(h.stopWordDetected("oak then")).isFalse();
    }

    @Test
    void needsAtLeastOneNonBlankStopWord() {
        assertThatThrownBy(() -> ReplyOnStopWords.builder(audio -> Reply.of(), stt))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one stop word");
        assertThatThrownBy(() -> ReplyOnStopWords.builder(audio -> Reply.of(), stt, "computer", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }

    @Test
    void talkWithoutTheStopWordGetsNoReply() throws Exception {
        ReplyOnStopWords handler = handler("computer");
        feed(handler, false, 1200);
        assertThat(stt.calls).as("silence is not transcribed").isEmpty();
        stt.text = "what time is it";
        feed(handler, true, 1800);
        feed(handler, false, 1800);
        assertThat(stt.calls).as("once per chunk with speech").hasSize(3);
        assertThat(drain(handler)).isEmpty();
        assertThat(heard).isEmpty();
        assertThat(session.messages).isEmpty();
    }

    @Test
    void theStopWordOpensTheTurnAndOnlyWhatFollowsIsReplied() throws Exception {
        ReplyOnStopWords handler = handler("computer");
        stt.text = "computer";
        feed(handler, true, 600);
        assertThat(stopwordMessages(session)).isEqualTo(1);
        // 16 kHz mono, at most the last 2 s
        assertThat(stt.calls).allSatisfy(a -> {
            assertThat(a.sampleRate()).isEqualTo(16000);
            assertThat(a.durationMillis()).isLessThanOrEqualTo(2000.0);
        });
        int calls = stt.calls.size();

        feed(handler, true, 1200);   // the question
        assertThat(drain(handler)).isEmpty();
        feed(handler, false, 600);   // the pause
        assertThat(drain(handler)).hasSize(1);
        assertThat(stt.calls).as("no transcription once the stop word was heard").hasSize(calls);
        assertThat(stopwordMessages(session)).isEqualTo(1);
        assertThat(session.logs()).containsExactly("started_talking", "pause_detected", "response_starting");
        // The question and the pause after it, not the stop word's chunk.
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).durationMillis()).isEqualTo(1800.0);
        assertThat(heard.get(0).sampleRate()).isEqualTo(48000);
    }

    @Test
    void theStopWordIsNeededAgainAfterEveryReply() throws Exception {
        ReplyOnStopWords handler = handler("computer");
        stt.text = "computer";
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(drain(handler)).hasSize(1);

        stt.text = "and tomorrow";
        feed(handler, true, 1200);
        feed(handler, false, 1800);
        assertThat(drain(handler)).isEmpty();
        assertThat(heard).hasSize(1);

        stt.text = "Computer, and tomorrow?";
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(drain(handler)).hasSize(1);
        assertThat(heard).hasSize(2);
        assertThat(stopwordMessages(session)).isEqualTo(2);
    }

    @Test
    void theWindowRollsOverTheLastTwoSeconds() throws Exception {
        ReplyOnStopWords handler = handler("computer");
        stt.text = "nothing to see";
        feed(handler, true, 4800);
        assertThat(stt.calls).hasSize(8);
        assertThat(stt.calls.get(0).durationMillis()).isEqualTo(600.0);
        assertThat(stt.calls.get(7).durationMillis()).isEqualTo(2000.0);
        assertThat(session.messages).isEmpty();
    }
}
