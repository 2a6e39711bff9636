package io.fastrtc.turn;

import static io.fastrtc.turn.ReplyOnPauseTest.FakeSession;
import static io.fastrtc.turn.ReplyOnPauseTest.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Playout;
import io.fastrtc.telemetry.Scope;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.TurnTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ReplyOnPause reports its turns to the connection's telemetry: one per reply, its first-audio
 * latency from the end of speech, its interruption latency and what was heard, its end once the
 * reply was heard, cut, dropped or failed; and the reply's user code runs within the turn's scope,
 * on the output thread and in a {@link Reply#generate} producer. A clock stepped 20 ms per input
 * frame makes the latencies exact.
 */
class TurnTelemetryTest {

    /** The turn whose scope is entered on this thread (its number), as a tracing module's span would be. */
    private static final ThreadLocal<Integer> IN_TURN = new ThreadLocal<>();

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final FakeSession session = new FakeSession();
    private Recorder recorder = new Recorder();

    TurnTelemetryTest() {
        session.telemetry = recorder;
    }

    /** Numbers its turns and records their events as text. */
    static final class Recorder implements SessionTelemetry {
        final List<String> events = new CopyOnWriteArrayList<>();
        private int turns;

        @Override
        public synchronized TurnTelemetry turnStarted() {
            int n = ++turns;
            events.add("started " + n);
            return new TurnTelemetry() {
                @Override
                public void firstAudio(Duration latency) {
                    events.add("firstAudio " + n + " " + latency.toMillis());
                }

                @Override
                public void interrupted(Duration latency, Duration played) {
                    events.add("interrupted " + n + " " + latency.toMillis() + " played " + played.toMillis());
                }

                @Override
                public Scope enter() {
                    Integer outer = IN_TURN.get();
                    IN_TURN.set(n);
                    return () -> IN_TURN.set(outer);
                }

                @Override
                public void ended() {
                    events.add("ended " + n);
                }
            };
        }
    }

    private ReplyOnPause attach(ReplyOnPause.Builder builder) {
        ReplyOnPause handler = builder.model(new ReplyOnPauseTest.LoudnessModel()).clock(clock::get).build().copy();
        handler.attach(session);
        return handler;
    }

    /** Frames of 20 ms, each arriving 20 ms after the last. */
    private void feed(ReplyOnPause handler, boolean loud, int millis) {
        for (int t = 0; t < millis; t += 20) {
            clock.addAndGet(20_000_000L);
            handler.receive(frame(loud));
        }
    }

    private Emit silentFramesUntilReply(ReplyOnPause handler) throws Exception {
        for (int i = 0; i < 100; i++) {
            feed(handler, false, 20);
            Emit e = handler.emit();
            if (e != null) {
                return e;
            }
        }
        throw new AssertionError("no reply");
    }

    private static AudioFrame audio(int millis) {
        return AudioFrame.silence(24000, 1, millis);
    }

    @Test
    void aTurnStartsWithItsReplyReportsTheLatencyFromTheEndOfSpeechAndEndsOnceHeard() throws Exception {
        AtomicReference<Integer> inFunction = new AtomicReference<>();
        AtomicReference<Integer> inProducer = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            inFunction.set(IN_TURN.get());
            return Reply.generate(out -> {
                inProducer.set(IN_TURN.get());
                out.send(audio(100));
            });
        }));
        feed(handler, true, 600);
        assertThat(recorder.events).isEmpty();
        assertThat(silentFramesUntilReply(handler)).isInstanceOf(AudioFrame.class);
        assertThat(recorder.events).containsExactly("started 1", "firstAudio 1 400"); // the default 400 ms silence
        session.pending = true; // still playing
        assertThat(handler.emit()).isNull();
        assertThat(handler.emit()).isNull();
        assertThat(recorder.events).as("the turn lasts while its reply plays").hasSize(2);
        session.pending = false;
        assertThat(handler.emit()).isNull();
        assertThat(recorder.events).containsExactly("started 1", "firstAudio 1 400", "ended 1");
        assertThat(inFunction.get()).as("the reply function runs within the turn").isEqualTo(1);
        assertThat(inProducer.get()).as("so does the producer on its own thread").isEqualTo(1);
        assertThat(IN_TURN.get()).as("the scope is closed after the call").isNull();

        feed(handler, true, 600);
        silentFramesUntilReply(handler);
        assertThat(recorder.events).endsWith("started 2", "firstAudio 2 400");
        assertThat(inProducer.get()).isEqualTo(2);
    }

    @Test
    void pullingAPlainIteratorRunsWithinTheTurn() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> List.of(1, 2).stream().map(i -> {
            seen.add(IN_TURN.get());
            return (Emit) audio(20);
        }).iterator()));
        feed(handler, true, 600);
        silentFramesUntilReply(handler);
        ReplyOnPauseTest.drain(handler);
        assertThat(seen).containsExactly(1, 1);
    }

    @Test
    void anInterruptionReportsTheTimeUntilTheReplyWentSilentAndWhatWasHeard() throws Exception {
        // Cut after 250 ms of speech: silent at the 13th frame; held from the first frame with pauseOnSound.
        for (boolean pauseOnSound : new boolean[] {false, true}) {
            session.telemetry = recorder = new Recorder();
            ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
                while (true) {
                    out.send(audio(100));
                }
            })).interruption(ReplyOnPauseTest.CUT_AT_250.withPauseOnSound(pauseOnSound)));
            feed(handler, true, 600);
            silentFramesUntilReply(handler);
            handler.emit();
            handler.emit();
            session.pending = true;
            session.playout = new Playout(300, 180); // 180 ms of the 300 emitted were heard
            feed(handler, true, 260);
            assertThat(session.logs()).contains("interrupted");
            assertThat(recorder.events).as("pauseOnSound " + pauseOnSound).containsExactly("started 1",
                    "firstAudio 1 400", "interrupted 1 " + (pauseOnSound ? 20 : 260) + " played 180", "ended 1");
            session.playout = Playout.NONE;
            session.pending = false;
        }
    }

    @Test
    void aLateInterruptionIsTimedFromTheStartOfTheSpeechThatCutTheReply() throws Exception {
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            while (true) {
                out.send(audio(100));
            }
        })).earlyInterrupt(false));
        feed(handler, true, 600);
        silentFramesUntilReply(handler);
        session.pending = true;
        feed(handler, true, 600); // the turn opens after 250 ms of speech, so it began 250 ms before
        feed(handler, false, 400); // FastRTC's rule: the reply is cut when this turn ends
        assertThat(recorder.events).containsExactly("started 1", "firstAudio 1 400",
                "interrupted 1 1000 played 0", "ended 1");
    }

    @Test
    void aPreemptiveReplyDroppedBecauseTheUserWentOnIsATurnWithoutAudio() throws Exception {
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            out.send(audio(100));
            while (!out.interrupted()) {
                Thread.sleep(5);
            }
        })).endpointing(Endpointing.builder().preemptive(true).build()));
        feed(handler, true, 600);
        feed(handler, false, 100);
        assertThat(handler.emit()).as("produced, held").isNull();
        assertThat(recorder.events).containsExactly("started 1");
        feed(handler, true, 300); // the user goes on
        assertThat(recorder.events).containsExactly("started 1", "ended 1");

        feed(handler, false, 100);
        assertThat(handler.emit()).isNull();
        feed(handler, false, 300);
        assertThat(handler.emit()).isInstanceOf(AudioFrame.class);
        assertThat(recorder.events).as("from the end of speech, although produced during the pause")
                .containsExactly("started 1", "ended 1", "started 2", "firstAudio 2 400");
    }

    @Test
    void aFailedReplyEndsItsTurnAndTheChunkedModeTimesFromTheChunkJudgedAPause() throws Exception {
        ReplyOnPause failing = attach(ReplyOnPause.builder(audio -> {
            throw new IllegalStateException("no");
        }));
        feed(failing, true, 600);
        feed(failing, false, 400);
        assertThatThrownBy(failing::emit).hasMessage("no");
        assertThat(recorder.events).containsExactly("started 1", "ended 1");

        recorder.events.clear();
        ReplyOnPause chunked = attach(ReplyOnPause.builder(audio -> Reply.of(audio(100)))
                .algoOptions(AlgoOptions.DEFAULT));
        feed(chunked, true, 1200);
        feed(chunked, false, 600);
        assertThat(chunked.emit()).isNotNull();
        assertThat(recorder.events).containsExactly("started 2", "firstAudio 2 600");
        chunked.shutdown();
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("ended 2"));
    }
}
