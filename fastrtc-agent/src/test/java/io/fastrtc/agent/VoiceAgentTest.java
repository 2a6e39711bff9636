package io.fastrtc.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.fastrtc.ui.Chatbot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The agent's turn against a scripted streaming model and a sink that says how much was played. */
class VoiceAgentTest {

    static final String ANSWER = ScriptedModel.ANSWER;
    static final AudioFrame QUESTION = FakeSpeech.tone(500);

    /** A model that writes its answer, or fails after {@link #failAfterTokens}. */
    static final class ScriptedChat extends ScriptedModel implements ChatStream {
        volatile int failAfterTokens = -1;
        final List<String> asked = new CopyOnWriteArrayList<>();
        final List<String> said = new CopyOnWriteArrayList<>();

        ScriptedChat() {
            timing = new ModelTiming(Duration.ofMillis(100), 50);
        }

        @Override
        public Generation start(String conversationId, String userText, Tokens tokens) {
            asked.add(conversationId + ": " + userText);
            Runnable[] cancel = new Runnable[1];
            int[] count = {0};
            cancel[0] = write(answer, token -> {
                if (++count[0] == failAfterTokens) {
                    tokens.failed(new IllegalStateException("rate limited"));
                    cancel[0].run();
                } else {
                    tokens.partial(token);
                }
            }, tokens::complete);
            return Generation.of(() -> cancel[0].run(),
                    (text, interrupted) -> said.add((interrupted ? "cut: " : "whole: ") + text));
        }
    }

    /** Records what is sent; says {@code played} was heard; interrupted once {@code interruptAfterAudio} audio items were sent. */
    static final class FakeSink implements Reply.Sink {
        final List<Emit> sent = new ArrayList<>();
        volatile Duration played = Duration.ZERO;
        volatile int interruptAfterAudio = Integer.MAX_VALUE;
        volatile boolean interrupted;
        int audio;
        boolean playAll = true;
        Duration total = Duration.ZERO;

        @Override
        public void send(Emit item) {
            if (interrupted) {
                throw new IllegalStateException("interrupted"); // as Reply.Interrupted: interrupted() is true
            }
            sent.add(item);
            Emit media = item instanceof Emit.WithOutputs w ? w.media() : item;
            if (media instanceof AudioFrame a) {
                total = total.plusNanos((long) (a.durationMillis() * 1e6));
                if (playAll) {
                    played = total;
                }
                if (++audio >= interruptAfterAudio) {
                    interrupted = true;
                }
            }
        }

        @Override
        public boolean interrupted() {
            return interrupted;
        }

        @Override
        public Duration played() {
            return played;
        }

        List<AudioFrame> audio() {
            List<AudioFrame> frames = new ArrayList<>();
            for (Emit e : sent) {
                Emit media = e instanceof Emit.WithOutputs w ? w.media() : e;
                if (media instanceof AudioFrame a) {
                    frames.add(a);
                }
            }
            return frames;
        }

        @SuppressWarnings("unchecked")
        List<Chatbot.Message> lastTranscript() {
            List<Chatbot.Message> last = null;
            for (Emit e : sent) {
                AdditionalOutputs o = e instanceof Emit.WithOutputs w ? w.outputs() : e instanceof AdditionalOutputs a ? a : null;
                if (o != null) {
                    last = (List<Chatbot.Message>) o.get(0);
                }
            }
            return last;
        }
    }

    final FakeSpeech speech = new FakeSpeech();
    final ScriptedChat chat = new ScriptedChat();
    final VoiceAgent agent = VoiceAgent.builder().speechToText(speech).chat(chat).textToSpeech(speech)
            .timeout(Duration.ofSeconds(5)).build();

    @Test
    void theFirstSentenceIsSpokenWhileTheModelStillWrites() throws Exception {
        FakeSink out = new FakeSink();
        agent.turn("a", QUESTION, out);

        assertThat(speech.texts()).containsExactly("It is ten past three.", "The sun sets at six tonight.", "Anything else?");
        assertThat(speech.spoken.get(0).nanos()).as("first sentence synthesised before the model completed")
                .isLessThan(chat.completedNanos);
        assertThat(out.audio()).extracting(a -> Math.round(a.durationMillis())).containsExactly(500L, 743L, 343L);
        assertThat(out.sent.get(0)).as("the user's words shown before the answer")
                .isEqualTo(AdditionalOutputs.of(List.of(Chatbot.Message.user("what time is it"))));
        assertThat(out.lastTranscript()).containsExactly(Chatbot.Message.user("what time is it"),
                Chatbot.Message.assistant(ANSWER));
        assertThat(chat.said).containsExactly("whole: " + ANSWER);
        assertThat(chat.cancelled).isEmpty();
    }

    @Test
    void anInterruptedAnswerIsRememberedAsFarAsItWasHeard() throws Exception {
        FakeSink out = new FakeSink();
        out.playAll = false;
        out.interruptAfterAudio = 2;
        // The first sentence, the pause, and half of "The sun sets at six tonight." were played.
        out.played = Duration.ofMillis(500 + 143 + 300);
        agent.turn("a", QUESTION, out);

        assertThat(chat.said).containsExactly("cut: It is ten past three. The sun sets");
        assertThat(chat.cancelled).hasSize(1);
        assertThat(agent.transcript("a")).containsExactly(Chatbot.Message.user("what time is it"),
                Chatbot.Message.assistant("It is ten past three. The sun sets"));
    }

    /**
     * A streaming speech service: each word of a sentence is a 100 ms piece of audio, and notes how
     * many audio items the sink already had when it was synthesised.
     */
    static TextToSpeech wordByWord(FakeSink out, List<Integer> sentBefore) {
        return new Connecting(self -> sentBefore.add(out.audio().size()));
    }

    @Test
    void aStreamingServicesAudioIsSentAsItIsSynthesised() throws Exception {
        FakeSink out = new FakeSink();
        List<Integer> sentBefore = new ArrayList<>();
        VoiceAgent streaming = VoiceAgent.builder().speechToText(speech).chat(chat)
                .textToSpeech(wordByWord(out, sentBefore)).build();
        streaming.turn("a", QUESTION, out);

        // Each word's audio was synthesised after the one before it went out, none held back.
        assertThat(sentBefore).hasSize(13).isEqualTo(IntStream.range(0, 13).boxed().toList());
        assertThat(out.audio()).extracting(a -> Math.round(a.durationMillis()))
                .containsExactly(100L, 100L, 100L, 100L, 100L, 243L, 100L, 100L, 100L, 100L, 100L, 243L, 100L);
        assertThat(out.lastTranscript()).containsExactly(Chatbot.Message.user("what time is it"),
                Chatbot.Message.assistant(ANSWER));
        assertThat(chat.said).containsExactly("whole: " + ANSWER);
    }

    @Test
    void aSentenceCutWhileItsAudioStillCameCountsTheShareHeard() throws Exception {
        FakeSink out = new FakeSink();
        out.interruptAfterAudio = 7; // "It is ten past three." and "The sun" of the next
        VoiceAgent streaming = VoiceAgent.builder().speechToText(speech).chat(chat)
                .textToSpeech(wordByWord(out, new ArrayList<>())).build();
        streaming.turn("a", QUESTION, out);

        // The second sentence would have lasted as long as the first per character: "The sun" of it was heard.
        assertThat(chat.said).containsExactly("cut: It is ten past three. The sun");
    }

    /**
     * A streaming speech service that connects per reply: notes each {@code live()} with the text it
     * was given, speaks each word as 100 ms of audio (running {@code beforeEachWord} first), and
     * counts the ones closed.
     */
    static final class Connecting implements TextToSpeech {
        final List<StringBuffer> texts = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();
        private final Consumer<Connecting> beforeEachWord;

        Connecting(Consumer<Connecting> beforeEachWord) {
            this.beforeEachWord = beforeEachWord;
        }

        Connecting() {
            this(self -> { });
        }

        @Override
        public AudioFrame synthesize(String text) {
            throw new UnsupportedOperationException("this service only streams");
        }

        @Override
        public LiveSpeech live() {
            StringBuffer text = new StringBuffer();
            texts.add(text);
            return new LiveSpeech() {
                private Iterator<String> words = List.<String>of().iterator();
                private volatile boolean done;

                @Override
                public void append(String piece) {
                    text.append(piece);
                }

                @Override
                public void finish() {
                    words = List.of(text.toString().split(" ")).iterator();
                }

                @Override
                public boolean hasNext() {
                    return !done && words.hasNext();
                }

                @Override
                public AudioFrame next() {
                    words.next();
                    beforeEachWord.accept(Connecting.this);
                    return FakeSpeech.tone(100);
                }

                @Override
                public void close() {
                    if (!done) {
                        done = true;
                        closed.incrementAndGet();
                    }
                }
            };
        }

        List<String> texts() {
            return texts.stream().map(StringBuffer::toString).toList();
        }

        /** Waits until the speeches opened are one per text of {@code spoken}, in order, and every one is closed. */
        void awaitAllClosed(String... spoken) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(texts()).containsExactly(spoken);
                assertThat(closed).hasValue(spoken.length);
            });
        }
    }

    @Test
    void eachSentencesSpeechIsOpenedBeforeTheModelHasWrittenIt() throws Exception {
        Connecting tts = new Connecting();
        List<String> sentences = List.of("It is ten past three.", "The sun sets at six.", "See you at 3.");
        GatedChat gated = new GatedChat(sentences, k -> tts.texts.size() >= k, tts.texts::size);
        VoiceAgent ahead = VoiceAgent.builder().speechToText(speech).chat(gated).textToSpeech(tts).build();
        ahead.turn("a", QUESTION, new FakeSink());

        // The first one opens while the model thinks, each next one while the sentence before it plays.
        assertThat(gated.probed).as("speeches opened when each sentence was written").containsExactly(1, 2, 3);
        tts.awaitAllClosed(sentences.toArray(String[]::new)); // one per sentence, none to spare
        assertThat(ahead.transcript("a")).last().isEqualTo(Chatbot.Message.assistant(String.join(" ", sentences)));
    }

    @Test
    void theNextSentencesSpeechOpensWithTheTextOfOneIfTheModelWroteItAlready() throws Exception {
        List<Integer> openAtWords = new CopyOnWriteArrayList<>();
        Connecting tts = new Connecting(self -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (openAtWords.isEmpty() && self.texts.size() < 2 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // the first word waits (at most 3 s) for the second sentence's speech
            }
            openAtWords.add(self.texts.size());
        });
        ChatStream atOnce = (id, text, tokens) -> {
            tokens.partial(ANSWER); // every sentence is written before the first is spoken
            tokens.complete();
            return ChatStream.Generation.of(() -> { }, (said, interrupted) -> { });
        };
        VoiceAgent.builder().speechToText(speech).chat(atOnce).textToSpeech(tts).build().turn("a", QUESTION, new FakeSink());

        assertThat(openAtWords).as("speeches open at each word").first().isEqualTo(2);
        tts.awaitAllClosed("It is ten past three.", "The sun sets at six tonight.", "Anything else?"); // none to spare
    }

    @Test
    void anInterruptedAnswerClosesTheSpeechOpenedForItsNextSentence() throws Exception {
        Connecting tts = new Connecting();
        GatedChat gated = new GatedChat(List.of("It is ten past three.", "The sun sets at six."), k -> true,
                tts.texts::size);
        gated.stopAfter = 1; // still writing when the caller talks over the first word
        FakeSink out = new FakeSink();
        out.interruptAfterAudio = 1;
        VoiceAgent.builder().speechToText(speech).chat(gated).textToSpeech(tts).build().turn("a", QUESTION, out);

        tts.awaitAllClosed("It is ten past three.", "");
    }

    @Test
    void aSpeechOpenedForASentenceThatNeverCameIsClosed() throws Exception {
        Connecting tts = new Connecting();
        GatedChat gated = new GatedChat(List.of("It is ten past three."), k -> tts.texts.size() >= k, tts.texts::size);
        gated.waitBeforeEnd = true; // the model completes only after the next sentence's speech was opened
        FakeSink out = new FakeSink();
        VoiceAgent.builder().speechToText(speech).chat(gated).textToSpeech(tts).build().turn("a", QUESTION, out);

        assertThat(out.audio()).hasSize(5);
        tts.awaitAllClosed("It is ten past three.", "");
    }

    @Test
    void nothingHeardLeavesNoAnswer() throws Exception {
        FakeSink out = new FakeSink();
        out.playAll = false;
        out.interruptAfterAudio = 1;
        agent.turn("a", QUESTION, out);

        assertThat(chat.said).containsExactly("cut: ");
        assertThat(agent.transcript("a")).containsExactly(Chatbot.Message.user("what time is it"));
    }

    @Test
    void eachConnectionHasItsOwnTranscriptUntilItIsForgotten() throws Exception {
        agent.turn("a", QUESTION, new FakeSink());
        speech.hears = "and the weather";
        agent.turn("b", QUESTION, new FakeSink());

        assertThat(chat.asked).containsExactly("a: what time is it", "b: and the weather");
        assertThat(agent.transcript("a")).first().isEqualTo(Chatbot.Message.user("what time is it"));
        assertThat(agent.transcript("b")).first().isEqualTo(Chatbot.Message.user("and the weather"));
        agent.forget("a");
        assertThat(agent.transcript("a")).isEmpty();
        assertThat(agent.transcript("b")).hasSize(2);
    }

    @Test
    void aModelThatFailsBeforeSpeakingGivesAnApologyAndTheNextTurnWorks() throws Exception {
        chat.failAfterTokens = 1;
        FakeSink out = new FakeSink();
        agent.turn("a", QUESTION, out);

        assertThat(speech.texts()).containsExactly("Sorry, something went wrong.", "Please try again.");
        assertThat(out.audio()).hasSize(2);

        chat.failAfterTokens = -1;
        speech.spoken.clear();
        agent.turn("a", QUESTION, new FakeSink());
        assertThat(speech.texts()).hasSize(3).first().isEqualTo("It is ten past three.");
    }

    @Test
    void aModelThatFailsMidAnswerStopsWithoutAnApology() throws Exception {
        chat.failAfterTokens = 9; // after "It is ten past three." and " The sun sets"
        FakeSink out = new FakeSink();
        agent.turn("a", QUESTION, out);

        assertThat(speech.texts()).containsExactly("It is ten past three.");
        assertThat(chat.said).containsExactly("cut: It is ten past three.");
    }

    @Test
    void aSilentModelTimesOutIntoAnApology() throws Exception {
        VoiceAgent impatient = VoiceAgent.builder().speechToText(speech).textToSpeech(speech).apology("One moment too long.")
                .chat((id, text, tokens) -> ChatStream.Generation.of(() -> chat.cancelled.add(true),
                        (said, interrupted) -> chat.said.add(said)))
                .timeout(Duration.ofMillis(200)).build();
        impatient.turn("a", QUESTION, new FakeSink());

        assertThat(speech.texts()).containsExactly("One moment too long.");
        assertThat(chat.cancelled).hasSize(1);
        assertThat(chat.said).containsExactly("");
    }

    @Test
    void nothingRecognisedIsAnsweredWithoutTheModel() throws Exception {
        speech.hears = "  ";
        agent.turn("a", QUESTION, new FakeSink());

        assertThat(chat.asked).isEmpty();
        assertThat(speech.texts()).containsExactly("Sorry, I did not catch that.");
    }

    @Test
    void theHandlerKeepsItsSettingsInEveryConnectionsCopy() {
        ReplyOnPause handler = agent.handler(b -> b.outputSampleRate(16000));
        ReplyOnPause copy = handler.copy();
        assertThat(copy).isInstanceOf(AgentHandler.class).isNotSameAs(handler);
        assertThat(copy.outputSampleRate()).isEqualTo(16000);
        assertThat(agent.handler().copy().outputSampleRate()).isEqualTo(24000);
    }

    @Test
    void theLogNeverShowsAKey() {
        String logged = VoiceAgent.describe(new IllegalStateException(
                "401 Incorrect API key provided: sk-proj-abc123def456ghi789 (Authorization: Bearer abc.def)"));
        assertThat(logged).startsWith("IllegalStateException: 401 Incorrect API key provided: ")
                .doesNotContain("abc123").doesNotContain("abc.def");
    }
}
