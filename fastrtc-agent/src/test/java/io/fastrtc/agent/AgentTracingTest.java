package io.fastrtc.agent;

import static io.fastrtc.agent.VoiceAgentTest.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.telemetry.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The agent reports its steps to its {@link AgentTracing}: recognition, the model from its start to
 * its last sentence, and the synthesis of each sentence within it, each entered while its work runs;
 * failures go to the step that failed. Without a tracing on the class path (as here) it traces nothing.
 */
class AgentTracingTest {

    /** Records steps as text; {@link #current} is the step entered on this thread. */
    static final class Recorder implements AgentTracing {
        final List<String> events = new CopyOnWriteArrayList<>();
        final ThreadLocal<String> current = new ThreadLocal<>();

        @Override
        public Step start(String step) {
            events.add("start " + step);
            return new Step() {
                private boolean closed;

                @Override
                public Scope enter() {
                    String outer = current.get();
                    current.set(step);
                    return () -> current.set(outer);
                }

                @Override
                public void failed(Throwable error) {
                    events.add("failed " + step + " " + error.getMessage());
                }

                @Override
                public synchronized void close() {
                    if (!closed) {
                        closed = true;
                        events.add("end " + step);
                    }
                }
            };
        }
    }

    final Recorder tracing = new Recorder();
    final List<String> currentDuring = new CopyOnWriteArrayList<>();
    final FakeSpeech speech = new FakeSpeech();
    final VoiceAgentTest.ScriptedChat chat = new VoiceAgentTest.ScriptedChat();

    private VoiceAgent agent() {
        FakeSpeech recognised = speech;
        return VoiceAgent.builder()
                .speechToText(audio -> {
                    currentDuring.add("stt:" + tracing.current.get());
                    return recognised.transcribe(audio);
                })
                .chat((id, text, tokens) -> {
                    currentDuring.add("model:" + tracing.current.get());
                    return chat.start(id, text, tokens);
                })
                .textToSpeech(text -> {
                    currentDuring.add("tts:" + tracing.current.get());
                    return recognised.synthesize(text);
                })
                .tracing(tracing).timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void eachStepIsTracedWhileItRunsAndTheSentencesAreSynthesisedWithinTheModelStep() throws Exception {
        agent().turn("a", QUESTION, new VoiceAgentTest.FakeSink());
        assertThat(tracing.events).containsExactly("start stt", "end stt", "start model",
                "start tts", "end tts", "start tts", "end tts", "start tts", "end tts", "end model");
        assertThat(currentDuring).containsExactly("stt:stt", "model:model", "tts:tts", "tts:tts", "tts:tts");
        assertThat(tracing.current.get()).isNull();
    }

    @Test
    void aFailureGoesToTheStepThatFailed() throws Exception {
        chat.failAfterTokens = 9; // after the first sentence
        agent().turn("a", QUESTION, new VoiceAgentTest.FakeSink());
        assertThat(tracing.events).containsExactly("start stt", "end stt", "start model", "start tts", "end tts",
                "failed model rate limited", "end model");

        tracing.events.clear();
        chat.failAfterTokens = -1;
        speech.failSynthesis = true;
        agent().turn("b", QUESTION, new VoiceAgentTest.FakeSink());
        assertThat(tracing.events).startsWith("start stt", "end stt", "start model", "start tts",
                "failed tts synthesis failed", "end tts", "end model");
    }

    @Test
    void withoutATracingOnTheClassPathTheAgentTracesNothingAndWorks() throws Exception {
        VoiceAgent plain = VoiceAgent.builder().speechToText(speech).chat(chat).textToSpeech(speech).build();
        plain.turn("a", QUESTION, new VoiceAgentTest.FakeSink());
        assertThat(speech.texts()).hasSize(3);
    }
}
