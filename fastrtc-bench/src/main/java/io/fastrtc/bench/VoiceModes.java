package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Clients;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.turn.AlgoOptions;
import io.fastrtc.turn.EndOfTurnDelay;
import io.fastrtc.turn.Endpointing;
import io.fastrtc.turn.Interruption;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.fastrtc.turn.TurnCompletionModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Turn-taking side by side, at the client, through WebRTC, in one run: FastRTC's chunked mode,
 * streaming end of turn (the library's defaults, and a 250 ms silence with the interruption set
 * explicitly), and the latter with a turn-completion model and preemptive reply. One client peer
 * per mode speaks a script ({@link VoiceAudio}) and times what it hears ({@link VoiceEar}).
 *
 * <pre>
 *   VoiceModes [--quick] [cycles] [report.md]     (VOICE_MODES=3,4 in the environment: only those;
 *                                                 VOICE_REPLY_RATE=22050: replies at that rate)
 * </pre>
 *
 * Each cycle: a question (turn latency), two short sounds over its reply (false interruptions), an
 * interrupting phrase (interruption latency), and a sentence with a mid-sentence pause (premature
 * turns). Writes {@link VoiceReport}.
 */
public final class VoiceModes {

    /**
     * The interruption of the 250 ms modes, spelled out so they measure it whatever the defaults: LiveKit's
     * 0.5 s, longer than a backchannel's voiced part, the reply held from the first sound (today's defaults).
     */
    static final Interruption TUNED = new Interruption(Duration.ofMillis(500), Duration.ofMillis(150), true);
    static final Duration SHORT_SILENCE = Duration.ofMillis(250);
    /**
     * The replies' sample rate: the handler's output rate (24 kHz) unless VOICE_REPLY_RATE says another
     * (22050: a TTS such as Piper handing over a whole answer, which the server converts as it plays).
     */
    static final int REPLY_RATE = Integer.parseInt(System.getenv().getOrDefault("VOICE_REPLY_RATE", "24000"));
    /** The stand-in turn model's inference time: Smart Turn v3's ~12 ms on a CPU. */
    static final int MODEL_MILLIS = 12;

    private VoiceModes() {
    }

    /** A configuration measured: its name, what it is in code, and how to build it. */
    record Mode(String name, String code, Interruption interruption, int silenceMillis,
                Function<Script, ReplyOnPause> build) {
    }

    static List<Mode> modes() {
        Endpointing fast = Endpointing.builder().silence(SHORT_SILENCE).build();
        return List.of(
                new Mode("FastRTC's mode", "builder(fn).algoOptions(AlgoOptions.DEFAULT)", null, -1,
                        s -> ReplyOnPause.builder(s::reply).algoOptions(AlgoOptions.DEFAULT).build()),
                new Mode("streaming, library defaults", "builder(fn).build()", Interruption.DEFAULTS,
                        (int) Endpointing.DEFAULTS.silence().toMillis(), s -> ReplyOnPause.builder(s::reply).build()),
                new Mode("streaming 250 ms", "endpointing(silence 250 ms).interruption(TUNED)", TUNED, 250,
                        s -> ReplyOnPause.builder(s::reply).endpointing(fast).interruption(TUNED).build()),
                new Mode("streaming 250 ms + turn model + preemptive",
                        "endpointing(silence 250 ms, turnModel(stand-in, finished 250 ms / unfinished 3 s), preemptive)"
                                + ".interruption(TUNED)", TUNED, 250,
                        s -> ReplyOnPause.builder(s::reply).endpointing(fast.toBuilder()
                                .turnModel(s.model(), EndOfTurnDelay.DEFAULTS.withFinished(SHORT_SILENCE))
                                .preemptive(true).build()).interruption(TUNED).build()));
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<String> rest = new ArrayList<>(List.of(args));
        rest.remove("--quick");
        int cycles = !rest.isEmpty() ? Integer.parseInt(rest.get(0)) : quick ? 2 : 4; // 4: each short sound once
        Path report = Path.of(rest.size() > 1 ? rest.get(1) : "fastrtc-bench/reports/voice-latency.md");
        VoiceAudio audio = VoiceAudio.load(Path.of("fastrtc-bench/target/voice-audio"));
        String command = "scripts/bench-voice" + (quick ? " --quick" : "") + (rest.isEmpty() ? "" : " " + cycles);
        VoiceReport out = new VoiceReport(command, cycles, audio);
        String only = System.getenv("VOICE_MODES"); // e.g. "3,4" for a check of those alone
        List<Mode> modes = modes();
        VoiceTaps taps = new VoiceTaps();
        try (FastRtc runtime = FastRtc.builder().telemetry(taps).build()) {
            for (int m = 0; m < modes.size(); m++) {
                Mode mode = modes.get(m);
                if (only != null && !List.of(only.split(",")).contains(String.valueOf(m + 1))) {
                    continue;
                }
                System.out.println(mode.name() + ":");
                Result r = run(mode, audio, cycles, runtime, taps);
                out.add(mode, r);
                System.out.println(out.row(mode, r));
                System.out.println(out.legs(mode, r));
            }
        }
        VoiceBench.publish(report, out.markdown());
    }

    /**
     * What the server side knows of the script: how long the next reply is, and whether the user is
     * in a mid-sentence pause (for the stand-in turn model). Replies are tones, each a different one.
     */
    static final class Script {
        volatile int replyMillis = 300;
        /** While a sentence with a pause is said: a turn shorter than this ends at the pause (or before). */
        volatile double unfinishedBelowMillis;
        private final AtomicInteger replies = new AtomicInteger();

        java.util.Iterator<io.fastrtc.handler.Emit> reply(AudioFrame turn) {
            return Reply.of(VoiceBench.tone(VoiceEar.TONES[replies.getAndIncrement() % VoiceEar.TONES.length], replyMillis,
                    REPLY_RATE));
        }

        /**
         * The stand-in for Smart Turn v3 (whose weights cannot be downloaded here): it takes the real
         * model's time and knows from the script whether the turn it is given stops mid-sentence: while
         * a sentence with a pause is said, a turn that does not reach past its pause (the audio kept
         * before the speech, the first half, the pause) is unfinished. Judged on the turn's length, not
         * on the clock, so a server behind the client answers the same.
         */
        TurnCompletionModel model() {
            return turn -> {
                try {
                    Thread.sleep(MODEL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return turn.length * 1000.0 / TurnCompletionModel.SAMPLE_RATE < unfinishedBelowMillis ? 0.05 : 0.95;
            };
        }
    }

    /** One mode's samples (milliseconds) and counts. */
    static final class Result {
        final List<Double> turn = new ArrayList<>();
        final List<Double> interrupt = new ArrayList<>();
        final List<String> falseInterruptions = new ArrayList<>();
        final List<Integer> pauses = new ArrayList<>();
        int noises;
        int backchannels;
        int premature;
        int sentences;
        int paused;
        int missed;
        int skipped;
        /** Each answered question's turn in legs, ms (see {@link VoiceTrials#question}). */
        final List<Double> uplink = new ArrayList<>();
        final List<Double> server = new ArrayList<>();
        final List<Double> untilCalled = new ArrayList<>();
        final List<Double> downlink = new ArrayList<>();
        /** The server's mean receive jitter-buffer delay over the run (most of the uplink). */
        double serverJitterBufferMillis = Double.NaN;
        /** The client's mean jitter-buffer delay over the run (what a loaded machine adds to every figure). */
        double jitterBufferMillis = Double.NaN;
    }

    static Result run(Mode mode, VoiceAudio audio, int cycles, FastRtc runtime, VoiceTaps taps) throws Exception {
        Script script = new Script();
        Stream stream = Stream.builder().runtime(runtime).audio(mode.build().apply(script)).build();
        Result r = new Result();
        String id = "voice-modes-" + System.nanoTime();
        int samples = taps.samples();
        try (StreamServer server = StreamServer.start(stream);
             TestPeer peer = new TestPeer(Clients.engine(), id).sendAudio().dataChannel("text")) {
            if (!Signaling.connect(peer, server.offerUrl(), id).isAnswer() || !peer.awaitConnected(Duration.ofSeconds(20))) {
                throw new IllegalStateException(mode.name() + ": the client peer did not connect");
            }
            Thread.sleep(800);
            VoiceTrials trials = new VoiceTrials(peer, new VoiceEar(peer), script, r, taps);
            int noise = 0;
            for (int i = 0; i < cycles; i++) {
                if (!trials.question(audio.question())) {
                    trials.settle();
                    continue;
                }
                for (int k = 0; k < 2; k++) {
                    trials.noise(audio.noises().get(noise++ % audio.noises().size()));
                }
                trials.interrupt(audio.interrupter());
                trials.settle();
                trials.paused(audio.paused().get(i % audio.paused().size()));
            }
            r.jitterBufferMillis = peer.audioReception().meanJitterBufferMillis();
            r.serverJitterBufferMillis = taps.receiveJitterSince(samples);
        } finally {
            stream.close();
        }
        return r;
    }
}
