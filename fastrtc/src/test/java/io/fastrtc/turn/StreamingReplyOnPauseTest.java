package io.fastrtc.turn;

import static io.fastrtc.turn.ReplyOnPauseTest.FakeSession;
import static io.fastrtc.turn.ReplyOnPauseTest.feed;
import static io.fastrtc.turn.ReplyOnPauseTest.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioChunker;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Playout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ReplyOnPause's streaming mode frame by frame, without a network: the turn ends after the
 * configured silence, a turn model changes that silence, a preemptive reply waits for the end of
 * the turn, and a reply is held, resumed or cut by what the user says over it.
 */
class StreamingReplyOnPauseTest {

    private static ReplyOnPause attach(ReplyOnPause.Builder builder, FakeSession session) {
        ReplyOnPause handler = builder.model(new ReplyOnPauseTest.LoudnessModel()).build().copy();
        handler.attach(session);
        return handler;
    }

    /** Silent frames until emit returns something; how many it took. */
    private static int silentFramesUntilReply(ReplyOnPause handler, int max) throws Exception {
        for (int i = 1; i <= max; i++) {
            handler.receive(frame(false));
            if (handler.emit() != null) {
                return i;
            }
        }
        return -1;
    }

    /** 100 ms of audio whose samples all hold {@code tag}. */
    private static AudioFrame tagged(int tag) {
        short[] s = new short[2400];
        java.util.Arrays.fill(s, (short) tag);
        return AudioFrame.ofPcm16(24000, 1, s);
    }

    @Test
    void theDefaultModeAnswersAfterTheConfiguredSilenceToTheFrame() throws Exception {
        FakeSession session = new FakeSession();
        AtomicReference<AudioFrame> said = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            said.set(audio);
            return Reply.of(AudioFrame.silence(24000, 1, 100));
        }).endpointing(Endpointing.builder().silence(Duration.ofMillis(300)).build()), session);
        feed(handler, true, 600);
        assertThat(session.logs()).containsExactly("started_talking");
        assertThat(silentFramesUntilReply(handler, 100)).as("300 ms = 15 frames of 20 ms").isEqualTo(15);
        assertThat(session.logs()).containsExactly("started_talking", "pause_detected", "response_starting");
        assertThat(said.get().durationMillis()).isBetween(900.0, 1200.0); // what was said, and the silence

        // The same through the default builder: 400 ms.
        ReplyOnPause byDefault = attach(ReplyOnPause.builder(audio -> Reply.of(AudioFrame.silence(24000, 1, 100))),
                new FakeSession());
        feed(byDefault, true, 600);
        assertThat(silentFramesUntilReply(byDefault, 100)).isEqualTo(20);
    }

    @Test
    void aTurnModelThatHearsAnUnfinishedSentenceKeepsTheTurnOpen() throws Exception {
        FakeSession session = new FakeSession();
        AtomicReference<Double> finished = new AtomicReference<>(0.1);
        AtomicInteger asked = new AtomicInteger();
        EndOfTurnDelay delay = new EndOfTurnDelay(Duration.ofMillis(200), Duration.ofMillis(1500), 0.5);
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.of(AudioFrame.silence(24000, 1, 100)))
                .endpointing(Endpointing.builder().turnModel(turn -> {
                    asked.incrementAndGet();
                    assertThat(turn.length).isGreaterThan(16000 / 2); // the turn at 16 kHz, from its start
                    return finished.get();
                }, delay).build()).modelExecutor(Runnable::run), session);
        feed(handler, true, 600);
        assertThat(silentFramesUntilReply(handler, 200)).as("1.5 s").isEqualTo(75);
        assertThat(asked.get()).isEqualTo(1);
        finished.set(0.9);
        feed(handler, true, 600);
        assertThat(silentFramesUntilReply(handler, 200)).as("200 ms").isEqualTo(10);
        assertThat(asked.get()).isEqualTo(2);
    }

    @Test
    void aPreemptiveReplyIsProducedDuringTheSilenceCancelledUnheardIfTheUserGoesOnAndPlayedAtTheEnd()
            throws Exception {
        FakeSession session = new FakeSession();
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> interrupted = new CopyOnWriteArrayList<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            int call = calls.incrementAndGet();
            return Reply.generate(out -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        out.send(tagged(call));
                    }
                    while (call == 1 && !out.interrupted()) { // the first is still thinking when the user goes on
                        Thread.sleep(5);
                    }
                } finally {
                    interrupted.add(out.interrupted());
                }
            });
        }).endpointing(Endpointing.builder().preemptive(true).build()), session);
        feed(handler, true, 600);
        feed(handler, false, 100);
        assertThat(handler.emit()).as("produced, held").isNull();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(session.logs()).containsExactly("started_talking");

        feed(handler, true, 300); // the user goes on
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.size() == 1);
        assertThat(interrupted).containsExactly(true);
        assertThat(handler.emit()).isNull();

        feed(handler, false, 100);
        assertThat(handler.emit()).isNull();
        assertThat(calls.get()).isEqualTo(2);
        feed(handler, false, 300); // 400 ms: the turn is over
        List<Emit> played = ReplyOnPauseTest.drain(handler);
        assertThat(played).hasSize(3);
        for (Emit e : played) {
            assertThat(((AudioFrame) e).toPcm16()[0]).as("only the second reply is heard").isEqualTo((short) 2);
        }
        assertThat(session.logs()).containsExactly("started_talking", "pause_detected", "response_starting");
        assertThat(session.clears.get()).isZero();
    }

    @Test
    void aShortSoundHoldsTheReplyAndResumesItAndSustainedSpeechCutsIt() throws Exception {
        FakeSession session = new FakeSession();
        AtomicReference<AudioFrame> said = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            said.set(audio);
            while (true) {
                out.send(AudioFrame.silence(24000, 1, 100));
            }
        })).interruption(ReplyOnPauseTest.CUT_AT_250.withPauseOnSound(true)), session);
        feed(handler, true, 600);
        assertThat(silentFramesUntilReply(handler, 100)).isEqualTo(20);
        session.pending = true;
        int clears = session.clears.get();
        feed(handler, true, 100); // "mm-hm"
        assertThat(session.pauses).containsExactly(true);
        feed(handler, false, 200);
        assertThat(session.pauses).containsExactly(true, false);
        assertThat(session.clears.get()).isEqualTo(clears);
        assertThat(session.logs()).containsExactly("started_talking", "pause_detected", "response_starting");
        assertThat(handler.emit()).as("the reply goes on").isNotNull();

        feed(handler, true, 260);
        assertThat(session.pauses).containsExactly(true, false, true, false);
        assertThat(session.clears.get()).isEqualTo(clears + 1);
        // The speech that interrupted opens the next turn at once (the rest may be shorter than a turn's minimum).
        assertThat(session.logs()).endsWith("interrupted", "started_talking");
        assertThat(handler.emit()).isNull();
        assertThat(silentFramesUntilReply(handler, 100)).isEqualTo(20);
        assertThat(said.get().durationMillis()).as("from before the interrupting speech").isGreaterThan(660.0);
    }

    @Test
    void byDefaultABackchannelHoldsTheReplyWhichGoesOnAndHalfASecondOfSpeechCutsIt() throws Exception {
        FakeSession session = new FakeSession();
        List<Boolean> cut = new CopyOnWriteArrayList<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            try {
                while (true) {
                    out.send(AudioFrame.silence(24000, 1, 100));
                }
            } finally {
                cut.add(out.interrupted());
            }
        })), session);
        feed(handler, true, 600);
        assertThat(silentFramesUntilReply(handler, 100)).isEqualTo(20);
        session.pending = true;
        int clears = session.clears.get();
        feed(handler, true, 360); // "uh-huh": over the 250 ms that cut replies before, under 500
        assertThat(session.pauses).containsExactly(true);
        feed(handler, false, 160);
        assertThat(session.pauses).containsExactly(true, false);
        assertThat(session.clears.get()).isEqualTo(clears);
        assertThat(handler.emit()).as("the reply goes on").isNotNull();
        assertThat(cut).isEmpty();

        int frames = 0;
        while (session.clears.get() == clears && frames < 50) {
            handler.receive(frame(true));
            frames++;
        }
        assertThat(frames).as("20 ms frames of speech before the reply was cut").isEqualTo(25);
        assertThat(session.pauses).containsExactly(true, false, true, false);
        assertThat(session.logs()).endsWith("interrupted", "started_talking");
        await().atMost(Duration.ofSeconds(5)).until(() -> cut.equals(List.of(true)));
    }

    @Test
    void theProducerLearnsHowMuchOfTheReplyTheCallerHeard() throws Exception {
        FakeSession session = new FakeSession();
        session.playout = new Playout(5000, 4200); // 800 ms of an earlier reply still to play
        AtomicReference<Duration> heardAtCut = new AtomicReference<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.generate(out -> {
            try {
                for (int i = 0; i < 30; i++) { // more than the 1 s it may be ahead: still sending at the cut
                    out.send(tagged(1));
                }
            } finally {
                heardAtCut.set(out.played());
            }
        })).interruption(ReplyOnPauseTest.CUT_AT_250), session);
        feed(handler, true, 600);
        feed(handler, false, 380);
        AtomicReference<Duration> before = new AtomicReference<>();
        handler.receive(frame(false));
        for (int i = 0; i < 3; i++) {
            assertThat(handler.emit()).isNotNull(); // 300 ms emitted, written from 5000 on
        }
        before.set(handler.played());
        assertThat(before.get()).isZero(); // the earlier audio is still playing
        session.playout = new Playout(5300, 5180);
        assertThat(handler.played()).isEqualTo(Duration.ofMillis(180));
        session.playout = new Playout(9000, 9000);
        assertThat(handler.played()).as("never more than was emitted").isEqualTo(Duration.ofMillis(300));
        session.playout = new Playout(5300, 5230);
        session.pending = true;
        feed(handler, true, 300);
        assertThat(session.logs()).endsWith("interrupted", "started_talking");
        await().atMost(Duration.ofSeconds(5)).until(() -> heardAtCut.get() != null);
        assertThat(heardAtCut.get()).isEqualTo(Duration.ofMillis(230));
    }

    /** 8 kHz audio: quiet line noise and noisy two-tone bursts, alternately, for the given milliseconds. */
    private static AudioFrame phoneCall(int... quietThenLoudMillis) {
        Random random = new Random(7);
        List<Short> samples = new ArrayList<>();
        for (int part = 0; part < quietThenLoudMillis.length; part++) {
            for (int i = 0; i < quietThenLoudMillis[part] * 8; i++) {
                double t = samples.size() / 8000.0;
                double loud = 4000 * Math.sin(2 * Math.PI * 220 * t) + 2500 * Math.sin(2 * Math.PI * 1330 * t)
                        + 800 * random.nextGaussian();
                samples.add((short) (part % 2 == 1 ? loud : 300 * random.nextGaussian())); // rms 300: not speech
            }
        }
        short[] pcm = new short[samples.size()];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = samples.get(i);
        }
        return AudioFrame.ofPcm16(8000, 1, pcm);
    }

    /** What a 16 kHz handler's reply function is given when {@code call} comes in 20 ms frames at {@code rate}. */
    private static List<AudioFrame> turnsHeard(AudioFrame call, int rate, boolean preemptive) throws Exception {
        List<AudioFrame> turns = new ArrayList<>();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> {
            turns.add(audio);
            return Reply.of(AudioFrame.silence(24000, 1, 20));
        }).inputSampleRate(16000).endpointing(Endpointing.builder().preemptive(preemptive).build()),
                new FakeSession());
        assertThat(handler.takesCallerRate(8000)).isTrue();
        // The input pipeline: at the handler's rate it converts the whole call, at the caller's it only re-frames.
        AudioChunker frames = new AudioChunker(rate, 1);
        for (int at = 0; at < call.samplesPerChannel(); at += 160) {
            for (AudioFrame frame : frames.push(call.slice(at, Math.min(at + 160, call.samplesPerChannel())))) {
                handler.receive(frame);
                while (handler.emit() != null) {
                    // played
                }
            }
        }
        return turns;
    }

    @Test
    void aTurnHeardAtTheCallersEightKilohertzReachesTheReplyAsTheSameSamplesAtTheDeclaredRate() throws Exception {
        AudioFrame call = phoneCall(300, 1000, 900, 700, 900);
        for (boolean preemptive : new boolean[] {false, true}) {
            List<AudioFrame> converted = turnsHeard(call, 16000, preemptive); // every frame converted, as before
            List<AudioFrame> atCallerRate = turnsHeard(call, 8000, preemptive); // only the turns converted
            assertThat(converted).hasSize(2);
            assertThat(atCallerRate).as("preemptive: " + preemptive).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(atCallerRate.get(i).sampleRate()).isEqualTo(16000);
                assertThat(atCallerRate.get(i).durationMillis()).isGreaterThan(1000);
                assertThat(atCallerRate.get(i)).as("turn %d, preemptive: %s", i, preemptive)
                        .isEqualTo(converted.get(i));
            }
        }
    }

    @Test
    void onlyTheStreamingModeWithInterruptionsAndItsOwnReceiveTakesTheCallersRate() {
        ReplyOnPause.ReplyFunction echo = audio -> Reply.of(audio);
        assertThat(ReplyOnPause.builder(echo).build().copy().takesCallerRate(8000)).isTrue();
        assertThat(ReplyOnPause.builder(echo).inputSampleRate(8000).build().takesCallerRate(8000)).isFalse();
        assertThat(ReplyOnPause.builder(echo).algoOptions(AlgoOptions.DEFAULT).build().takesCallerRate(8000))
                .as("chunked mode").isFalse();
        assertThat(ReplyOnPause.builder(echo).canInterrupt(false).build().takesCallerRate(8000)).isFalse();
        ReplyOnPause ownReceive = new ReplyOnPause(echo) {
            @Override
            public void receive(AudioFrame frame) {
                super.receive(frame);
            }
        };
        assertThat(ownReceive.takesCallerRate(8000)).isFalse();
    }

    @Test
    void theStreamingModeAtTheDeclaredRateAsksForTenMillisecondFramesSoATurnMayEndOnAnyTenMilliseconds() {
        ReplyOnPause.ReplyFunction echo = audio -> Reply.of(audio);
        assertThat(ReplyOnPause.builder(echo).build().copy().frameMillis(48000)).isEqualTo(10);
        assertThat(ReplyOnPause.builder(echo).build().copy().frameMillis(8000)).as("turns at the caller's rate")
                .isEqualTo(20);
        assertThat(ReplyOnPause.builder(echo).algoOptions(AlgoOptions.DEFAULT).build().frameMillis(48000))
                .as("chunked mode").isEqualTo(20);
        ReplyOnPause ownReceive = new ReplyOnPause(echo) {
            @Override
            public void receive(AudioFrame frame) {
                super.receive(frame);
            }
        };
        assertThat(ownReceive.frameMillis(48000)).as("a subclass's receive: 20 ms, as every handler's").isEqualTo(20);
    }

    @Test
    void theOutputThreadIsWokenWhenAReplyIsAskedForAndIdleOnceItWasHeard() throws Exception {
        FakeSession session = new FakeSession();
        ReplyOnPause handler = attach(ReplyOnPause.builder(audio -> Reply.of(AudioFrame.silence(24000, 1, 100))),
                session);
        AtomicInteger wakes = new AtomicInteger();
        handler.onOutput(wakes::incrementAndGet);
        assertThat(handler.signalsOutput()).isTrue();
        assertThat(handler.outputIdle()).isTrue();
        feed(handler, true, 600);
        feed(handler, false, 380);
        assertThat(wakes.get()).as("talking: nothing to ask for yet").isZero();
        assertThat(handler.outputIdle()).isTrue();
        feed(handler, false, 20); // 400 ms of silence: the turn is over
        assertThat(wakes.get()).isEqualTo(1);
        assertThat(handler.outputIdle()).isFalse();
        session.pending = true; // the reply is playing
        assertThat(handler.emit()).isNotNull();
        assertThat(handler.emit()).isNull();
        assertThat(handler.outputIdle()).as("produced, not heard yet: the pump keeps asking").isFalse();
        session.pending = false;
        assertThat(handler.emit()).isNull();
        assertThat(handler.outputIdle()).as("heard").isTrue();

        ReplyOnPause ownEmit = new ReplyOnPause(audio -> Reply.of(audio)) {
            @Override
            public Emit emit() throws Exception {
                return super.emit();
            }
        };
        assertThat(ownEmit.signalsOutput()).as("a subclass with its own emit is asked after every frame").isFalse();
    }
}
