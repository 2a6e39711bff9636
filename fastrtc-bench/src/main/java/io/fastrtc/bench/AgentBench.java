package io.fastrtc.bench;

import static io.fastrtc.bench.VoiceBench.firstLoud;
import static io.fastrtc.bench.VoiceBench.percentile;
import static io.fastrtc.bench.VoiceBench.waitForSpeechEnd;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.fastrtc.agent.ModelTiming;
import io.fastrtc.agent.VoiceAgent;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.bench.agent.PacedChatModel;
import io.fastrtc.bench.agent.PacedTextToSpeech;
import io.fastrtc.bench.agent.TurnClock;
import io.fastrtc.langchain4j.LangChain4jChat;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.SpeechToText;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.turn.Endpointing;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.fastrtc.ui.Chatbot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A voice agent's reply latency: from the end of the user's turn (the moment the server's turn
 * detector fires) to the first audio of the reply at a WebRTC client, with a fake streaming model of
 * fixed time to first token and token rate, a fake speech-to-text of fixed delay and a fake streaming
 * text-to-speech of fixed time to first audio. Two streams in the same run: (a) {@link VoiceAgent}
 * on {@link LangChain4jChat}, as the README builds it, which speaks the first sentence while the
 * model writes the rest; (b) the same model collected to the whole answer, then the same speech.
 *
 * <p>Each stream has its own server and client peer; their turns alternate. The next question
 * interrupts the reply still playing, so a turn takes a few seconds. Run with
 * {@code scripts/bench-agent}; writes {@code fastrtc-bench/reports/agent-latency.md}.
 */
public final class AgentBench {

    static final String QUESTION = "What is the weather like today?";
    /** Four sentences, 58 tokens; the first has 8. */
    static final String ANSWER = "The weather today is sunny and warm. Expect a high of twenty four degrees this"
            + " afternoon, with a light breeze from the west. Clouds will roll in this evening, and there is a"
            + " small chance of rain after midnight. Tomorrow looks cooler, so take a jacket if you go out early.";
    static final ModelTiming MODEL = new ModelTiming(Duration.ofMillis(300), 40);
    static final Duration STT_DELAY = Duration.ofMillis(100);
    static final Duration TTS_FIRST_AUDIO = Duration.ofMillis(150);
    static final double TTS_SPEED = 1.5;
    static final int TTS_MILLIS_PER_CHAR = 60;
    static final double SLACK_MILLIS = 50;

    private AgentBench() {
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Path report = Path.of(args.length > 1 ? args[1] : "fastrtc-bench/reports/agent-latency.md");
        Duration silence = Endpointing.DEFAULTS.silence();
        Fakes a = new Fakes(silence);
        VoiceAgent agent = VoiceAgent.builder().speechToText(a.stt)
                .chat(LangChain4jChat.of(a.model, id -> MessageWindowChatMemory.withMaxMessages(20)))
                .textToSpeech(a.tts).build();
        Stream streaming = Stream.builder().audio(agent.handler(h -> h.model(a.clock)))
                .additionalOutputs(Chatbot.of("Conversation")).build();

        Fakes b = new Fakes(silence);
        Stream whole = Stream.builder().audio(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            String answer = wholeAnswer(b.model, b.stt.transcribe(audio));
            try (LiveSpeech speech = b.tts.live()) {
                speech.append(answer);
                speech.finish();
                while (speech.hasNext()) {
                    out.send(speech.next());
                }
            }
        })).model(b.clock).build()).build();

        AudioFrame question = Speech.say(QUESTION).resample(48000);
        try (StreamServer sa = StreamServer.start(streaming); StreamServer sb = StreamServer.start(whole);
                TestPeer pa = connect(sa, "agent-streaming"); TestPeer pb = connect(sb, "agent-whole")) {
            a.turn(pa, question); // warm-up, not counted
            b.turn(pb, question);
            a.clear();
            b.clear();
            for (int i = 0; i < turns; i++) {
                a.turn(pa, question);
                b.turn(pb, question);
            }
        } finally {
            streaming.close();
            whole.close();
        }
        VoiceBench.publish(report, report(turns, question, silence, a, b));
    }

    /** One stream's fake services, its turn clock, and what its client measured. */
    static final class Fakes {
        final PacedChatModel model = new PacedChatModel(MODEL, ANSWER);
        final PacedTextToSpeech tts = new PacedTextToSpeech(TTS_FIRST_AUDIO, TTS_SPEED, TTS_MILLIS_PER_CHAR);
        final List<Long> transcribed = new CopyOnWriteArrayList<>();
        final SpeechToText stt = audio -> {
            transcribed.add(System.nanoTime());
            pause(STT_DELAY);
            return QUESTION;
        };
        final TurnClock clock;
        final List<Double> latency = new ArrayList<>();
        final List<Double> fromClient = new ArrayList<>();
        /** Per stage of the path (see {@link #STAGES}), the time each turn spent there. */
        final List<List<Double>> stages = new ArrayList<>();
        int missed;
        int discarded;

        Fakes(Duration silence) {
            clock = new TurnClock(silence);
            for (int i = 0; i < STAGES.length; i++) {
                stages.add(new ArrayList<>());
            }
        }

        /**
         * Asks the question (interrupting the reply still playing) and times the reply's first audio.
         * A turn is discarded when the server heard a pause inside the question (a stalled client on
         * a loaded machine: the turn ended before the client finished sending it) or when the audio
         * came sooner than speech-to-text could have run (still the previous reply).
         */
        void turn(TestPeer peer, AudioFrame question) throws InterruptedException {
            int before = clock.turnEnds().size();
            peer.say(question);
            long spoken = waitForSpeechEnd(peer);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (clock.latest() < spoken && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            List<Long> all = List.copyOf(clock.turnEnds());
            List<Long> ends = all.subList(before, all.size());
            long end = ends.isEmpty() || spoken < 0 ? -1 : ends.get(ends.size() - 1);
            long onset = end < 0 || end < spoken ? -1 : firstLoud(peer, end, 10_000);
            if (onset < 0) {
                missed++;
                return;
            }
            if (ends.get(0) < spoken || onset - end < STT_DELAY.toNanos()) {
                discarded++;
                Thread.sleep(300);
                return;
            }
            latency.add((onset - end) / 1e6);
            fromClient.add((onset - spoken) / 1e6);
            long[] marks = {end, after(transcribed, end), after(model.requests(), end), after(tts.handedOver(), end),
                after(tts.firstAudio(), end), onset};
            for (int i = 0; i < STAGES.length; i++) {
                stages.get(i).add((marks[i + 1] - marks[i]) / 1e6);
            }
            Thread.sleep(300); // hear a little of it
        }

        void clear() {
            latency.clear();
            fromClient.clear();
            stages.forEach(List::clear);
            missed = 0;
            discarded = 0;
        }
    }

    /** Where a reply's first audio spends its time, between the marks the fakes and the clock take. */
    static final String[] STAGES = {"turn detector → speech-to-text called", "→ model asked", "→ text handed to TTS",
        "→ first audio out of TTS", "→ heard at the client"};

    /** The first of {@code marks} at or after {@code since}. */
    private static long after(List<Long> marks, long since) {
        for (long m : marks) {
            if (m >= since) {
                return m;
            }
        }
        return since;
    }

    private static TestPeer connect(StreamServer server, String id) throws Exception {
        TestPeer peer = new TestPeer(Clients.engine(), id).sendAudio().dataChannel("text");
        if (!Signaling.connect(peer, server.offerUrl(), id).isAnswer() || !peer.awaitConnected(Duration.ofSeconds(20))) {
            peer.close();
            throw new IllegalStateException("the client peer " + id + " did not connect");
        }
        Thread.sleep(800);
        return peer;
    }

    /** Today's path: the model's stream collected to the whole answer. */
    private static String wholeAnswer(PacedChatModel model, String question) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        model.chat(question, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                answer.complete(response.aiMessage().text());
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }
        });
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String report(int turns, AudioFrame question, Duration silence, Fakes a, Fakes b)
            throws java.io.IOException {
        PacedChatModel model = a.model;
        double firstSentence = model.millisToFirstSentence();
        double bound = STT_DELAY.toMillis() + firstSentence + TTS_FIRST_AUDIO.toMillis() + SLACK_MILLIS;
        double wholeBound = STT_DELAY.toMillis() + model.millisToWholeAnswer() + TTS_FIRST_AUDIO.toMillis();
        int firstTokens = (int) Math.round((firstSentence - MODEL.timeToFirstToken().toMillis())
                * MODEL.tokensPerSecond() / 1000) + 1;
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Voice agent reply latency%n%n"
                + "Measured %s on %d cores (load average %s), Java %s, with `scripts/bench-agent %d`.%n%n",
                ZonedDateTime.now().withNano(0), Runtime.getRuntime().availableProcessors(), loadAverage(),
                System.getProperty("java.version"), turns));
        md.append(String.format(Locale.ROOT, "Fakes: speech-to-text %d ms; a LangChain4j `StreamingChatModel`,"
                + " first token after %d ms, then %.0f tokens/s, the same %d-token answer in four sentences (the"
                + " first has %d tokens: written %.0f ms after the request, the whole answer %.0f ms);"
                + " streaming text-to-speech, first audio %d ms after the text is handed over, then %.1f×"
                + " real time in %d ms chunks (%d ms of speech a character). The question is %.1f s of"
                + " espeak-ng speech; the server ends the turn after %d ms of silence.%n%n",
                STT_DELAY.toMillis(), MODEL.timeToFirstToken().toMillis(), MODEL.tokensPerSecond(),
                model.tokens().size(), firstTokens, firstSentence, model.millisToWholeAnswer(),
                TTS_FIRST_AUDIO.toMillis(), TTS_SPEED, PacedTextToSpeech.CHUNK_MS, TTS_MILLIS_PER_CHAR, question.durationMillis() / 1000,
                silence.toMillis()));
        md.append(String.format(Locale.ROOT, "Target for (a): speech-to-text + model time to first sentence +"
                + " time to first audio + %.0f ms = %d + %.0f + %d + %.0f = **%.0f ms** (issue 19's bound, plus the"
                + " fake speech-to-text's delay: a batch recogniser runs after the turn). For (b) the same chain"
                + " without slack, with the whole answer instead of the first sentence, is %.0f ms.%n%n",
                SLACK_MILLIS, STT_DELAY.toMillis(), firstSentence, TTS_FIRST_AUDIO.toMillis(), SLACK_MILLIS, bound,
                wholeBound));
        md.append("| path | p50 | p90 | min | max | turns (missed, discarded) | bound (b: no slack) | margin at p90 |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        md.append(row("(a) VoiceAgent: first sentence spoken while the model writes", a, bound));
        md.append(row("(b) whole answer, then speech", b, wholeBound));
        md.append("\nWhere the time goes (medians; the nominal figures are the fakes' settings):\n\n| path | "
                + String.join(" | ", STAGES) + " |\n|---|---|---|---|---|---|\n");
        md.append(stages("(a)", a)).append(stages("(b)", b));
        md.append(String.format(Locale.ROOT, "| nominal | 0 | %d ms | (a) %.0f ms, (b) %.0f ms | %d ms | |%n",
                STT_DELAY.toMillis(), firstSentence, model.millisToWholeAnswer(), TTS_FIRST_AUDIO.toMillis()));
        md.append(String.format(Locale.ROOT, "%nEnd of turn is taken in the server process: the bench's speech"
                + " detector (`TurnClock`, a loudness detector; the client sends digital silence after the question)"
                + " sees each input frame as the handler does and notes the frame that completes the %d ms of"
                + " silence, the frame on which the streaming turn detector fires. The first reply audio is the"
                + " first loud 10 ms frame the client peer's receiver hands over, after its jitter buffer. Same"
                + " clock (`System.nanoTime()`, one JVM). Measured from the client instead (end of its speech to"
                + " first audio, minus the %d ms of silence): (a) p50 %.0f ms, (b) p50 %.0f ms; that adds the"
                + " uplink (encoding, network, the server's jitter buffer).%n%n"
                + "Margin = bound − p90 (positive: within the target). The slack is spent by the agent's own"
                + " work and the transport: the last stage is the playout (the first 10 ms frame goes out at once, in"
                + " its own 10 ms Opus packet), the network, and the client's jitter"
                + " buffer, which its audio device pulls every 10 ms.%n", silence.toMillis(),
                silence.toMillis(),
                percentile(a.fromClient, 50) - silence.toMillis(), percentile(b.fromClient, 50) - silence.toMillis()));
        return md.toString();
    }

    private static String row(String name, Fakes r, double bound) {
        return String.format(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d (%d, %d) | %.0f ms | %+.0f ms |%n",
                name, percentile(r.latency, 50), percentile(r.latency, 90), percentile(r.latency, 0),
                percentile(r.latency, 100), r.latency.size(), r.missed, r.discarded, bound,
                bound - percentile(r.latency, 90));
    }

    private static String stages(String name, Fakes r) {
        StringBuilder row = new StringBuilder("| " + name);
        for (List<Double> stage : r.stages) {
            row.append(String.format(Locale.ROOT, " | %.1f ms", percentile(stage, 50)));
        }
        return row.append(" |\n").toString();
    }

    private static String loadAverage() throws java.io.IOException {
        String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return avg[0] + ", " + avg[1] + ", " + avg[2];
    }
}
