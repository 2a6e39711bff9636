package io.fastrtc.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.turn.Reply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Drives an agent's replies as {@code ReplyOnPause} does, on a connection of the test's choosing. */
public final class Replies {

    /** What the caller said, for a fake recogniser that ignores it. */
    public static final AudioFrame QUESTION = FakeSpeech.tone(500);

    private Replies() {
    }

    /** The agent's reply on connection {@code id}. */
    public static Iterator<? extends Emit> replyOn(VoiceAgent agent, String id) {
        Context.ContextHolder.set(new Context() {
            @Override
            public String webrtcId() {
                return id;
            }

            @Override
            public void warn(String message) {
            }

            @Override
            public void error(String message) {
            }

            @Override
            public void sendMessage(String text) {
            }
        });
        try {
            return agent.reply(QUESTION);
        } finally {
            Context.ContextHolder.set(null);
        }
    }

    /** Plays a reply to the end; returns when each of its audio items came ({@link System#nanoTime()}). */
    public static List<Long> drain(Iterator<? extends Emit> reply) {
        List<Long> audio = new ArrayList<>();
        while (reply.hasNext()) {
            Emit e = reply.next();
            if ((e instanceof Emit.WithOutputs w ? w.media() : e) instanceof AudioFrame) {
                audio.add(System.nanoTime());
            }
        }
        return audio;
    }

    /**
     * A model failure gives the caller the default apology, and the next turn on the same connection
     * is answered again.
     */
    public static void apologisesThenRecovers(VoiceAgent agent, FakeSpeech speech, ScriptedModel model) {
        model.failure = new IllegalStateException("429 Too Many Requests");
        drain(replyOn(agent, "a"));
        assertThat(speech.texts()).containsExactly("Sorry, something went wrong.", "Please try again.");

        model.failure = null;
        speech.spoken.clear();
        drain(replyOn(agent, "a"));
        assertThat(speech.texts()).hasSize(3).first().isEqualTo("It is ten past three.");
    }

    /**
     * Lets connection {@code id}'s reply begin, interrupts it once its first sentence's audio came, and
     * runs a second turn on the same connection, which starts only after the first has settled what
     * was heard.
     */
    public static void interruptThenAskAgain(VoiceAgent agent, String id) {
        Iterator<? extends Emit> reply = replyOn(agent, id);
        untilFirstAudio(reply);
        ((Reply) reply).close(); // the caller talked over it
        drain(replyOn(agent, id));
    }

    /**
     * A memory after {@link #interruptThenAskAgain}, as {@code "role: text"} lines: the question, at most
     * the words of the first sentence (how many depends on how much of it {@code Reply.Sink.played()}
     * counts as heard, never the rest of the answer), then the question again.
     */
    public static void assertCutToTheFirstSentence(List<String> memory) {
        assertThat(memory.get(0)).isEqualTo("user: what time is it");
        int next = 1;
        if (memory.get(1).startsWith("assistant: ")) {
            String said = memory.get(1).substring("assistant: ".length());
            assertThat(said).isNotBlank();
            assertThat("It is ten past three.").as("the words heard").startsWith(said);
            next = 2;
        }
        assertThat(memory.get(next)).isEqualTo("user: what time is it");
    }

    /** Takes items up to the first audio (the first sentence), as a caller hears it begin. */
    public static void untilFirstAudio(Iterator<? extends Emit> reply) {
        while (!(reply.next() instanceof Emit.WithOutputs)) {
            // the user's transcript comes first
        }
    }
}
