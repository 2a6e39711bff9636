package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.HandlerSession;
import io.fastrtc.handler.Inputs;
import io.fastrtc.handler.Playout;
import io.fastrtc.telemetry.SessionTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The turn-taking state machine, driven frame by frame without a network. */
class ReplyOnPauseTest {

    static final int RATE = 48000;
    static final int FRAME = RATE / 50;
    /** Cut after 250 ms of speech, never held: the tests that count frames to the cut say so. */
    static final Interruption CUT_AT_250 = new Interruption(Duration.ofMillis(250), Duration.ofMillis(150), false);

    /** Speech = loud; a stand-in model that makes the tests exact. */
    static final class LoudnessModel implements PauseDetectionModel {
        @Override
        public SpeechResult vad(AudioFrame audio) {
            short[] s = audio.toMono().toPcm16();
            int window = audio.sampleRate() / 100;
            int loud = 0;
            for (int i = 0; i + window <= s.length; i += window) {
                if (rms(s, i, window) > 1000) {
                    loud++;
                }
            }
            return new SpeechResult(loud / 100.0, List.of(), audio.sampleRate());
        }

        @Override
        public SpeechDetector streamingDetector() {
            return new SpeechDetector() {
                @Override
                public float process(AudioFrame audio) {
                    short[] s = audio.toPcm16();
                    return rms(s, 0, s.length) > 1000 ? 1f : 0f;
                }

                @Override
                public void reset() {
                }

                @Override
                public void close() {
                }
            };
        }

        static double rms(short[] s, int from, int n) {
            double sum = 0;
            for (int i = from; i < from + n; i++) {
                sum += (double) s[i] * s[i];
            }
            return n == 0 ? 0 : Math.sqrt(sum / n);
        }
    }

    static final class FakeSession implements HandlerSession, Context {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final AtomicInteger clears = new AtomicInteger();
        volatile boolean pending;
        volatile Inputs inputs = Inputs.of(List.of("default"));
        volatile Playout playout = Playout.NONE;
        final List<Boolean> pauses = new CopyOnWriteArrayList<>();
        volatile SessionTelemetry telemetry = SessionTelemetry.NONE;

        @Override
        public SessionTelemetry telemetry() {
            return telemetry;
        }

        @Override
        public Playout playout() {
            return playout;
        }

        @Override
        public void pauseOutput(boolean paused) {
            pauses.add(paused);
        }

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
            clears.incrementAndGet();
            pending = false;
        }

        @Override
        public boolean outputPending() {
            return pending;
        }

        @Override
        public Inputs waitForInputs(Duration timeout) {
            messages.add("{\"type\":\"send_input\",\"data\":[]}");
            return inputs;
        }

        @Override
        public Inputs latestInputs() {
            return inputs;
        }

        @Override
        public boolean phoneMode() {
            return false;
        }

        @Override
        public String webrtcId() {
            return "fake";
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public void error(String message) {
        }

        List<String> logs() {
            List<String> out = new ArrayList<>();
            for (String m : messages) {
                if (m.contains("\"log\"")) {
                    out.add(m.replaceAll(".*\"data\":\"([^\"]*)\".*", "$1"));
                }
            }
            return out;
        }
    }

    static AudioFrame frame(boolean loud) {
        short[] s = new short[FRAME];
        if (loud) {
            for (int i = 0; i < FRAME; i++) {
                s[i] = (short) (8000 * Math.sin(2 * Math.PI * 300 * i / RATE));
            }
        }
        return AudioFrame.ofPcm16(RATE, 1, s);
    }

    static void feed(ReplyOnPause handler, boolean loud, int millis) {
        for (int t = 0; t < millis; t += 20) {
            handler.receive(frame(loud));
        }
    }

    static ReplyOnPause attach(ReplyOnPause.Builder builder, FakeSession session) {
        ReplyOnPause handler = builder.model(new LoudnessModel()).build().copy();
        handler.attach(session);
        return handler;
    }

    /** Calls emit until it returns null, collecting the items. */
    static List<Emit> drain(ReplyOnPause handler) throws Exception {
        List<Emit> items = new ArrayList<>();
        for (Emit e = handler.emit(); e != null; e = handler.emit()) {
            items.add(e);
        }
        return items;
    }

    @Test
    void findsTheTurnAndRepliesWithWhatWasSaid() throws Exception {
        FakeSession session = new FakeSession();
        AtomicReference<AudioFrame> heard = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            heard.set(audio);
            return Reply.of(audio);
        }).algoOptions(AlgoOptions.DEFAULT), session);
        feed(handler, false, 1200);
        assertThat(handler.emit()).isNull();
        assertThat(session.logs()).isEmpty();
        feed(handler, true, 1200);
        assertThat(session.logs()).containsExactly("started_talking");
        assertThat(handler.emit()).isNull(); // still talking
        feed(handler, false, 600);
        List<Emit> reply = drain(handler);
        assertThat(reply).hasSize(1);
        // From the chunk where talking started through the silent chunk that ended the turn.
        assertThat(heard.get().durationMillis()).isBetween(1200.0, 2400.0);
        assertThat(heard.get().sampleRate()).isEqualTo(RATE);
        assertThat(session.logs()).containsExactly("started_talking", "pause_detected", "response_starting");
        // The next turn starts from scratch.
        feed(handler, false, 1200);
        assertThat(drain(handler)).isEmpty();
    }

    @Test
    void sustainedSpeechInterruptsAndAShortSoundDoesNot() throws Exception {
        FakeSession session = new FakeSession();
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        AtomicInteger interruptions = new AtomicInteger();
        ReplyOnPause prototype = ReplyOnPause.builder(audio -> Reply.generate(out -> {
            try {
                while (true) {
                    out.send(AudioFrame.silence(24000, 1, 100));
                }
            } finally {
                sawInterrupt.set(out.interrupted());
            }
        })).model(new LoudnessModel()).interruption(CUT_AT_250).build();
        ReplyOnPause handler = new ReplyOnPause(prototype) {
            @Override
            protected void onInterrupted() {
                interruptions.incrementAndGet();
            }
        };
        handler.attach(session);
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(handler.emit()).isInstanceOf(AudioFrame.class);
        assertThat(handler.emit()).isInstanceOf(AudioFrame.class);
        session.pending = true;
        int clearsBefore = session.clears.get();
        feed(handler, true, 200); // a cough: under the 250 ms minimum
        feed(handler, false, 200);
        assertThat(session.clears.get()).isEqualTo(clearsBefore);
        assertThat(session.logs()).doesNotContain("interrupted");
        int frames = 0;
        while (session.clears.get() == clearsBefore && frames < 50) {
            handler.receive(frame(true));
            frames++;
        }
        assertThat(frames).as("20 ms frames of speech before the reply was cut").isBetween(13, 14);
        assertThat(interruptions.get()).isEqualTo(1);
        assertThat(session.logs()).endsWith("interrupted", "started_talking");
        assertThat(handler.emit()).isNull();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).untilTrue(sawInterrupt);
        // What the user says now is the next turn.
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(handler.emit()).isInstanceOf(AudioFrame.class);
    }

    /** A turn in FastRTC's chunks, then its reply starts and plays on; the clears so far. */
    private static int replyPlaying(ReplyOnPause handler, FakeSession session) throws Exception {
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(handler.emit()).isNotNull();
        session.pending = true;
        return session.clears.get();
    }

    @Test
    void fastRtcsChunkedModeCutsTheReplyOnlyAtThePauseAndNeverHoldsIt() throws Exception {
        FakeSession session = new FakeSession();
        AtomicInteger replies = new AtomicInteger();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            replies.incrementAndGet();
            return Reply.of(AudioFrame.silence(24000, 1, 100), AudioFrame.silence(24000, 1, 100),
                    AudioFrame.silence(24000, 1, 100));
        }).algoOptions(AlgoOptions.DEFAULT), session);
        int clears = replyPlaying(handler, session);
        feed(handler, true, 600);
        assertThat(session.clears.get()).isEqualTo(clears);
        assertThat(session.pauses).as("FastRTC's interruption: no hold").isEmpty();
        feed(handler, false, 600);
        assertThat(session.clears.get()).isGreaterThan(clears);
        assertThat(drain(handler)).hasSize(3); // the new reply, whole
        assertThat(replies.get()).isEqualTo(2);
    }

    @Test
    void anInterruptionSetInTheChunkedModeJudgesSpeechOverTheReplyAsItIsHeard() throws Exception {
        FakeSession session = new FakeSession();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            while (true) {
                out.send(AudioFrame.silence(24000, 1, 100));
            }
        })).algoOptions(AlgoOptions.DEFAULT).interruption(CUT_AT_250.withPauseOnSound(true)), session);
        int clears = replyPlaying(handler, session);
        feed(handler, true, 240);
        assertThat(session.pauses).containsExactly(true);
        assertThat(session.clears.get()).isEqualTo(clears);
        feed(handler, true, 20);
        assertThat(session.clears.get()).as("cut at the 13th frame, before any pause").isGreaterThan(clears);
        assertThat(session.logs()).endsWith("interrupted");
    }

    @Test
    void withoutInterruptionInputIsIgnoredWhileReplying() throws Exception {
        FakeSession session = new FakeSession();
        AtomicInteger replies = new AtomicInteger();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            replies.incrementAndGet();
            return Reply.of(AudioFrame.silence(24000, 1, 100), AudioFrame.silence(24000, 1, 100));
        }).canInterrupt(false), session);
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(handler.emit()).isNotNull();
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(drain(handler)).hasSize(1);
        assertThat(replies.get()).isEqualTo(1);
        assertThat(session.clears.get()).isZero();
    }

    @Test
    void asksForInputsAtEveryTurnWhenTheReplyTakesThem() throws Exception {
        FakeSession session = new FakeSession();
        List<Object> seen = new CopyOnWriteArrayList<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder((audio, inputs) -> {
            seen.add(inputs.get(0));
            return Reply.of();
        }), session);
        feed(handler, true, 1200);
        feed(handler, false, 600);
        drain(handler);
        assertThat(session.messages).contains("{\"type\":\"send_input\",\"data\":[]}");
        assertThat(seen).containsExactly("default");
        assertThat(session.logs()).containsExactly("started_talking", "pause_detected", "response_starting");
    }

    @Test
    void triggerResponseAndStartupGreeting() throws Exception {
        FakeSession session = new FakeSession();
        AtomicReference<AudioFrame> heard = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            heard.set(audio);
            return Reply.of(AudioFrame.silence(24000, 1, 20));
        }).startup(inputs -> Reply.of(AudioFrame.silence(16000, 1, 40), AudioFrame.silence(16000, 1, 40))), session);
        handler.startUp();
        assertThat(drain(handler)).hasSize(2);
        assertThat(session.logs()).containsExactly("response_starting");
        handler.triggerResponse();
        assertThat(drain(handler)).hasSize(1);
        assertThat(heard.get().isEmpty()).isTrue();
    }

    @Test
    void aReplyThatFailsMidwayIsReportedAndTheNextTurnWorks() throws Exception {
        FakeSession session = new FakeSession();
        AtomicInteger turn = new AtomicInteger();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> turn.incrementAndGet() == 1
                ? Reply.generate(out -> {
                    out.send(AudioFrame.silence(24000, 1, 20));
                    throw new IllegalStateException("TTS failed");
                })
                : Reply.of(AudioFrame.silence(24000, 1, 20))), session);
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(handler.emit()).isNotNull();
        assertThatThrownBy(handler::emit).hasMessageContaining("TTS failed");
        assertThat(handler.emit()).isNull();
        feed(handler, true, 1200);
        feed(handler, false, 600);
        assertThat(drain(handler)).hasSize(1);
    }

    @Test
    void maxContinuousSpeechEndsALongTurn() throws Exception {
        FakeSession session = new FakeSession();
        AtomicReference<AudioFrame> heard = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            heard.set(audio);
            return Reply.of();
        }).algoOptions(new AlgoOptions(0.6, 0.2, 0.1, 1.5)), session);
        feed(handler, true, 1800); // never pauses
        drain(handler);
        assertThat(heard.get()).isNotNull();
        assertThat(heard.get().durationMillis()).isBetween(1500.0, 2400.0);
    }
}
