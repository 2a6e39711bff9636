package io.fastrtc.agent;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.internal.Checks;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.speech.TextToSpeech;
import io.fastrtc.telemetry.Scope;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.fastrtc.ui.Chatbot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A voice agent: what the caller said goes through speech-to-text to a {@link ChatStream}, and the
 * answer is spoken sentence by sentence <em>while the model still writes</em>: the first sentence
 * plays as soon as it is complete and its first audio synthesised (each sentence goes through its
 * own {@link TextToSpeech#live()}, so a streaming service's audio is played as it comes). It is a
 * {@link ReplyOnPause} reply function.
 *
 * <pre>{@code
 * VoiceAgent agent = VoiceAgent.builder()
 *         .speechToText(stt).chat(chat).textToSpeech(tts)
 *         .build();
 * Stream stream = Stream.builder()
 *         .audio(agent.handler())                              // or new ReplyOnPause(agent)
 *         .additionalOutputs(Chatbot.of("Conversation"))
 *         .build();
 * }</pre>
 *
 * <p>Each connection is its own conversation (keyed by its id). When the caller talks over the
 * answer, the model is stopped and the conversation keeps only the words the caller heard (from
 * {@link Reply.Sink#played()}): the sentences played to the end and the share of the one playing,
 * cut at a word boundary. The transcript goes to the stream's one additional output, a
 * {@link Chatbot}: the conversation so far as {@code List<Chatbot.Message>}, when the caller's words
 * are recognised and with the audio of each sentence. If recognition, the model or synthesis fails,
 * or the model writes nothing for {@link Builder#timeout}, the caller hears the apology (or, once the
 * answer has begun, silence) and the connection goes on. Thread-safe: one agent serves every connection.
 *
 * <p>Each sentence's {@code live()} is opened ahead, on its own thread, one at a time: the first
 * one's while the model writes it, each next one's while the sentence before it is synthesised and
 * played (from its first audio, or from when its text was handed over if the next is written
 * already). A service that connects per reply (ElevenLabs' WebSocket: TLS and handshake, often 100
 * to 300 ms) then has its connection ready when the text comes: the first sentence no longer waits
 * for it after the model, nor a next one whose predecessor plays longer than the handshake. The
 * answer owns these: when it ends, is interrupted or fails, the one still waiting is closed at once
 * (or as soon as it has opened), so nothing stays connected.
 *
 * <p>Each step of a turn is traced with {@link AgentTracing} (with {@code fastrtc-opentelemetry}:
 * spans {@code fastrtc.stt}, {@code fastrtc.model} and {@code fastrtc.tts} under the turn's span).
 */
public final class VoiceAgent implements ReplyOnPause.ReplyFunction {

    private static final Logger LOG = LoggerFactory.getLogger(VoiceAgent.class);
    /** Silence before each sentence after the first, as {@link TextToSpeech#stream} has it. */
    private static final double PAUSE_MILLIS = 1000.0 / 7;
    /** Speech per character of a typical voice (15 a second), until an answer shows its own. */
    private static final double MILLIS_PER_CHAR = 1000.0 / 15;
    /** Something that looks like a key or token in an error message: never logged. */
    private static final Pattern SECRET = Pattern.compile("(?i)(sk-|bearer\\s+)\\S+|[A-Za-z0-9_\\-*]{24,}");

    private final SpeechToText stt;
    private final ChatStream chat;
    private final TextToSpeech tts;
    private final String apology;
    private final String notUnderstood;
    private final Duration timeout;
    private final AgentTracing tracing;
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    private VoiceAgent(Builder b) {
        this.stt = Objects.requireNonNull(b.stt, "speechToText(...) is required");
        this.chat = Objects.requireNonNull(b.chat, "chat(...) is required");
        this.tts = Objects.requireNonNull(b.tts, "textToSpeech(...) is required");
        this.apology = b.apology;
        this.notUnderstood = b.notUnderstood;
        this.timeout = b.timeout;
        this.tracing = b.tracing != null ? b.tracing : LoadedTracing.FOUND;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A {@link ReplyOnPause} with this agent's replies (defaults), which forgets each conversation as its connection ends. */
    public ReplyOnPause handler() {
        return handler(b -> b);
    }

    /**
     * The same, configured: {@code agent.handler(b -> b.outputSampleRate(16000).algoOptions(...))}.
     */
    public ReplyOnPause handler(UnaryOperator<ReplyOnPause.Builder> configure) {
        return new AgentHandler(this, configure.apply(ReplyOnPause.builder(this)).build());
    }

    @Override
    public Iterator<? extends Emit> reply(AudioFrame audio) {
        String id = Context.current().map(Context::webrtcId).orElse("");
        return Reply.generate(out -> turn(id, audio, out));
    }

    /** The conversation of connection {@code id} as shown to the caller (empty if none). */
    public List<Chatbot.Message> transcript(String id) {
        Conversation c = conversations.get(id);
        return c == null ? List.of() : c.messages();
    }

    /** Forgets connection {@code id}'s conversation, here and in the chat model's memory. */
    public void forget(String id) {
        conversations.remove(id);
        chat.forget(id);
    }

    /** Connection {@code id}'s turn: what {@link #reply} runs on the reply's own thread. */
    void turn(String id, AudioFrame audio, Reply.Sink out) throws InterruptedException {
        Conversation conversation = conversations.computeIfAbsent(id, k -> new Conversation());
        String question;
        try {
            question = traced("stt", () -> stt.transcribe(audio)).strip();
        } catch (RuntimeException e) {
            LOG.warn("voice agent: speech-to-text failed ({}); the caller hears an apology", describe(e));
            say(out, apology);
            return;
        }
        if (question.isEmpty()) {
            say(out, notUnderstood);
            return;
        }
        conversation.turns.acquire(); // the previous answer first settles what was heard of it
        try {
            conversation.add(Chatbot.Message.user(question));
            out.send(conversation.outputs());
            answer(id, conversation, question, out);
        } finally {
            conversation.turns.release();
        }
    }

    private void answer(String id, Conversation conversation, String question, Reply.Sink out) {
        Answer answer = new Answer();
        SpokenText spoken = new SpokenText();
        ChatStream.Generation generation = null;
        boolean complete = false;
        AgentTracing.Step model = tracing.start("model");
        try (SpeechAhead ahead = new SpeechAhead(tts)) {
            try (Scope scope = model.enter()) {
                generation = chat.start(id, question, answer);
            }
            ahead.openIf(true); // the first sentence's speech connects while the model writes it
            for (String sentence = answer.next(timeout); sentence != null; sentence = answer.next(timeout)) {
                speak(sentence, answer, ahead, spoken, conversation, out);
            }
            complete = true;
            model.close();
            ahead.close(); // one opened for a sentence that never came is not kept while the answer plays out
            awaitPlayed(out, spoken.duration());
        } catch (Answer.Failed | RuntimeException e) {
            if (out.interrupted() || e instanceof Reply.Interrupted) {
                return; // finally settles what was heard
            }
            if (e instanceof Answer.Failed || generation == null) {
                model.failed(e.getCause() != null ? e.getCause() : e); // the model's failure, not synthesis's
            }
            LOG.warn("voice agent: {} ({}); the caller hears {}",
                    e instanceof Answer.Failed ? e.getMessage() : "the answer failed",
                    describe(e.getCause() != null ? e.getCause() : e),
                    spoken.isEmpty() ? "an apology" : "the answer so far");
            if (spoken.isEmpty()) {
                say(out, apology);
            }
        } catch (InterruptedException e) {
            // interrupted: finally settles what was heard
        } finally {
            model.close();
            // Not interrupted: the caller hears it all, even if playback is still catching up.
            boolean interrupted = !complete || out.interrupted();
            String heard = interrupted ? spoken.heard(out.played()) : spoken.all();
            if (generation != null) {
                if (!complete) {
                    generation.cancel();
                }
                generation.said(interrupted ? heard : answer.written().strip(), interrupted);
            }
            conversation.assistantSays(heard);
        }
    }

    /**
     * Speaks one sentence through the {@link TextToSpeech#live()} opened {@code ahead} for it, each
     * piece of audio sent as soon as it is synthesised (a streaming service's first audio plays while
     * the rest is still being made), the transcript riding on the first. The next sentence's speech
     * starts opening as soon as this one's text is handed over if that sentence is written already,
     * else with this one's first audio if the model may still write it (by then it has usually
     * said whether it has). The sentence joins {@code spoken} with the audio it took;
     * if it was cut short while its audio still came, with the length it would have had at the
     * answer's speaking rate so far, so that its words count as heard in proportion. Its {@code tts}
     * step lasts from the text handed over to its last audio sent.
     */
    private void speak(String sentence, Answer answer, SpeechAhead ahead, SpokenText spoken,
            Conversation conversation, Reply.Sink out) throws InterruptedException {
        double pause = spoken.isEmpty() ? 0 : PAUSE_MILLIS;
        double speech = 0;
        boolean first = true;
        boolean whole = false;
        AgentTracing.Step step = tracing.start("tts");
        try (Scope scope = step.enter(); LiveSpeech live = ahead.take()) {
            live.append(sentence);
            live.finish();
            ahead.openIf(answer.sentenceWaits());
            while (live.hasNext()) {
                AudioFrame audio = live.next();
                if (first) {
                    first = false;
                    ahead.openIf(answer.mayContinue()); // before the send, which may wait for the caller
                    audio = AudioFrame.silence(audio.sampleRate(), audio.channels(), pause).concat(audio);
                    conversation.assistantSays(spoken.isEmpty() ? sentence : spoken.all() + " " + sentence);
                    out.send(audio.with(conversation.outputs()));
                } else {
                    out.send(audio);
                }
                speech += audio.durationMillis();
            }
            whole = !out.interrupted();
        } catch (RuntimeException e) {
            if (!out.interrupted() && !(e instanceof Reply.Interrupted)) {
                step.failed(e);
            }
            throw e;
        } finally {
            step.close();
            if (!first) { // a sentence without audio was not said
                double said = speech - pause;
                double length = whole ? said : Math.max(said, sentence.length() * spoken.millisPerChar(MILLIS_PER_CHAR));
                spoken.add(sentence, millis(pause), millis(length));
            }
        }
    }

    /** Runs {@code work} as step {@code name} of the turn, current while it runs. */
    private <T> T traced(String name, Supplier<T> work) {
        AgentTracing.Step step = tracing.start(name);
        try (Scope scope = step.enter()) {
            return work.get();
        } catch (RuntimeException e) {
            step.failed(e);
            throw e;
        } finally {
            step.close();
        }
    }

    /** Waits until the caller heard the whole answer or interrupted it (bounded by the answer's length). */
    private static void awaitPlayed(Reply.Sink out, Duration total) throws InterruptedException {
        long deadline = System.nanoTime() + total.toNanos() + Duration.ofSeconds(2).toNanos();
        while (!out.interrupted() && out.played().compareTo(total) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Speaks a fixed phrase (apology or "not understood"); a failure here leaves the caller in silence. */
    private void say(Reply.Sink out, String phrase) {
        if (phrase == null || phrase.isBlank()) {
            return;
        }
        try {
            for (Iterator<AudioFrame> it = tts.stream(phrase); it.hasNext(); ) {
                out.send(it.next());
            }
        } catch (Reply.Interrupted e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("voice agent: text-to-speech failed ({}); the caller hears silence", describe(e));
        }
    }

    private static Duration millis(double millis) {
        return Duration.ofNanos((long) (millis * 1_000_000));
    }

    /** An exception for the log: its type and message, with anything like a key masked. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + SECRET.matcher(e.getMessage()).replaceAll("[redacted]");
        return e.getClass().getSimpleName() + message;
    }

    /** One connection's transcript; its semaphore lets one answer at a time settle the memory. */
    private static final class Conversation {
        final Semaphore turns = new Semaphore(1);
        private final List<Chatbot.Message> messages = new ArrayList<>();
        private boolean answering;

        synchronized void add(Chatbot.Message message) {
            messages.add(message);
            answering = false;
        }

        /** Sets the assistant's answer to this turn's user message ({@code ""} removes it). */
        synchronized void assistantSays(String text) {
            if (answering) {
                messages.remove(messages.size() - 1);
            }
            answering = !text.isEmpty();
            if (answering) {
                messages.add(Chatbot.Message.assistant(text));
            }
        }

        synchronized List<Chatbot.Message> messages() {
            return List.copyOf(messages);
        }

        AdditionalOutputs outputs() {
            return AdditionalOutputs.of(messages());
        }
    }

    /** The {@link AgentTracing} on the class path, if any, found once. */
    private static final class LoadedTracing {
        static final AgentTracing FOUND = load();

        private static AgentTracing load() {
            try {
                return ServiceLoader.load(AgentTracing.class, VoiceAgent.class.getClassLoader()).findFirst()
                        .orElse(AgentTracing.NONE);
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.warn("voice agent: its tracing could not be loaded ({}); it traces nothing", e.toString());
                return AgentTracing.NONE;
            }
        }
    }

    /** Configures a {@link VoiceAgent}. */
    public static final class Builder {
        private SpeechToText stt;
        private ChatStream chat;
        private TextToSpeech tts;
        private String apology = "Sorry, something went wrong. Please try again.";
        private String notUnderstood = "Sorry, I did not catch that.";
        private Duration timeout = Duration.ofSeconds(30);
        private AgentTracing tracing;

        private Builder() {
        }

        public Builder speechToText(SpeechToText stt) {
            this.stt = Objects.requireNonNull(stt, "stt");
            return this;
        }

        /** The model: from {@code fastrtc-langchain4j} or {@code fastrtc-spring-ai}, or your own {@link ChatStream}. */
        public Builder chat(ChatStream chat) {
            this.chat = Objects.requireNonNull(chat, "chat");
            return this;
        }

        public Builder textToSpeech(TextToSpeech tts) {
            this.tts = Objects.requireNonNull(tts, "tts");
            return this;
        }

        /** Said when recognition or the model fails before the answer began; null for silence. */
        public Builder apology(String apology) {
            this.apology = apology;
            return this;
        }

        /** Said when nothing was recognised; null for silence. */
        public Builder notUnderstood(String notUnderstood) {
            this.notUnderstood = notUnderstood;
            return this;
        }

        /** How long the model may write without completing a sentence before it counts as failed (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive("timeout", timeout, Duration.ofSeconds(30));
            return this;
        }

        /** Where the agent's steps are traced (default: the {@link AgentTracing} on the class path, if any). */
        public Builder tracing(AgentTracing tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
            return this;
        }

        public VoiceAgent build() {
            return new VoiceAgent(this);
        }
    }
}
