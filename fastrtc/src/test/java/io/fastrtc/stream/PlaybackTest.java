package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The playout schedule, driven tick by tick on a made-up clock: what a track or a buffering client
 * is sent, and when, as producers run ahead, stall and catch up.
 */
class PlaybackTest {

    private static final int RATE = 16000;
    private static final long MS = 1_000_000L;

    /** Records what was pushed at each tick; frames carry their sequence number as every sample. */
    private static final class Sink implements AudioSink {
        final int lead;
        final boolean carries;
        final List<Short> pushed = new ArrayList<>();
        int idles;

        Sink(int leadMillis, boolean carriesSilence) {
            lead = leadMillis;
            carries = carriesSilence;
        }

        @Override
        public void push(AudioFrame frame) {
            short[] pcm = frame.toPcm16();
            assertThat(pcm).hasSize(RATE / 100);
            pushed.add(pcm[0]);
        }

        @Override
        public int leadMillis() {
            return lead;
        }

        @Override
        public boolean carriesSilence() {
            return carries;
        }

        @Override
        public void idle() {
            idles++;
        }

        long audio() {
            return pushed.stream().filter(s -> s != 0).count();
        }

        long silence() {
            return pushed.size() - audio();
        }
    }

    private final Playback playback = new Playback(RATE);
    private short next = 1;

    /** Queues {@code frames} 10 ms frames numbered from where the last call stopped. */
    private void produce(int frames) throws InterruptedException {
        for (int i = 0; i < frames; i++) {
            short[] pcm = new short[RATE / 100];
            Arrays.fill(pcm, next++);
            playback.enqueue(AudioFrame.ofPcm16(RATE, 1, pcm));
        }
    }

    /** {@code sink} playing from time 0 with {@code queued} frames waiting. */
    private Sink started(Sink sink, int queued) throws InterruptedException {
        produce(queued);
        playback.start(sink, 0);
        return sink;
    }

    /** A live producer, 20 ms of audio every 20 ms for 100 ms; returns the next tick time. */
    private long live(Sink sink) throws InterruptedException {
        long t = 0;
        for (int i = 0; i < 5; i++) {
            produce(2);
            t = ticks(sink, t, t + 20);
        }
        assertThat(sink.pushed).hasSize(10);
        return t;
    }

    /** Ticks every 10 ms from {@code fromMs} to {@code toMs} (exclusive); returns the next tick time. */
    private long ticks(Sink sink, long fromMs, long toMs) {
        long t = fromMs;
        for (; t < toMs; t += 10) {
            playback.tick(sink, t * MS);
        }
        return t;
    }

    @Test
    void aProducerAheadIsPlayedOneFrameATickInOrder() throws InterruptedException {
        Sink track = started(new Sink(0, false), 60);
        ticks(track, 0, 300);

        assertThat(track.pushed).hasSize(30);
        for (int i = 0; i < 30; i++) {
            assertThat(track.pushed.get(i)).isEqualTo((short) (i + 1));
        }
    }

    @Test
    void catchingUpIsBoundedSoALongStallStillPlaysEverythingInOrder() throws InterruptedException {
        Sink track = started(new Sink(0, false), 100);
        ticks(track, 0, 20);
        playback.tick(track, 620 * MS); // the playout thread was descheduled for 600 ms
        assertThat(track.pushed.size() - 2).isBetween(Playback.CATCH_UP_MS / 10 - 1, Playback.CATCH_UP_MS / 10 + 1);

        ticks(track, 630, 2000);
        assertThat(track.pushed).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(track.pushed.get(i)).isEqualTo((short) (i + 1));
        }
    }
    @Test
    void aReplyAfterLongSilenceOnATrackThatCarriesSilenceIsPacedNotBurst() throws InterruptedException {
        Sink track = new Sink(0, true); // AudioPipeline's tracks: silence between replies
        playback.start(track, 0);
        long t = live(track);
        t = ticks(track, t, t + 1000);
        assertThat(track.silence()).isGreaterThan(90);

        long audioBefore = track.audio();
        produce(30);
        for (int i = 1; i <= 5; i++) {
            playback.tick(track, t * MS);
            t += 10;
            assertThat(track.audio() - audioBefore).isEqualTo(i);
        }
    }

    @Test
    void aLateTickCatchesUpInsteadOfDelayingEveryLaterFrame() throws InterruptedException {
        Sink track = started(new Sink(0, false), 80);
        ticks(track, 0, 100);
        playback.tick(track, 250 * MS); // the playout thread was descheduled for 150 ms
        ticks(track, 260, 400);

        // 40 slots of 10 ms from 0 to 400 ms: 40 frames, as if nothing had happened.
        assertThat(track.pushed.size()).isBetween(39, 40);
    }

    @Test
    void aTrackThatCarriesSilenceSendsItAtOnceAfterAClear() throws InterruptedException {
        Sink track = started(new Sink(0, true), 50);
        long t = ticks(track, 0, 50);
        playback.clear();
        playback.tick(track, t * MS);
        assertThat(track.pushed).hasSize(6);
        assertThat(track.silence()).isEqualTo(1);
    }
    @Test
    void aBufferingClientIsKeptItsLeadAheadAndNeverOwed() throws InterruptedException {
        Sink socket = started(new Sink(100, false), 100);
        playback.tick(socket, 0);
        assertThat(socket.pushed).hasSize(10); // its 100 ms lead
        ticks(socket, 10, 200);
        assertThat(socket.pushed).hasSize(29);

        // A stall past the lead: the client ran dry and resumes from now, topped up to its lead only.
        playback.tick(socket, 700 * MS);
        assertThat(socket.pushed).hasSize(39);
    }

    @Test
    void aRunThatEndedOwesNothingToTheNext() throws InterruptedException {
        Sink track = started(new Sink(0, false), 2);
        long t = ticks(track, 0, 20);
        t = ticks(track, t, t + 1000);
        assertThat(track.idles).isEqualTo(1);

        produce(30);
        playback.tick(track, t * MS);
        assertThat(track.pushed).hasSize(3);
    }

    @Test
    void playoutCountsWhatWasWrittenAndWhatWasHeardAndAClearDropsTheUnheard() throws InterruptedException {
        Sink track = started(new Sink(0, false), 50);
        assertThat(playback.playout().writtenMillis()).isEqualTo(500);
        assertThat(playback.playout().heardMillis()).isZero();
        ticks(track, 0, 200); // 20 frames sent to the track, the last one still being played
        assertThat(playback.playout().heardMillis()).isBetween(190L, 200L);
        playback.clear();
        assertThat(playback.playout().writtenMillis()).isEqualTo(playback.playout().heardMillis());
        long heard = playback.playout().heardMillis();
        produce(5);
        assertThat(playback.playout().writtenMillis()).isEqualTo(heard + 50);
        playback.flush(); // as the pump does when the producer goes idle: the partial 20 ms frame, padded
        ticks(track, 200, 400);
        assertThat(playback.playout().heardMillis()).isEqualTo(heard + 50); // never past what was written
    }

    @Test
    void aBufferingClientHasHeardOnlyWhatItPlayedAndDropsTheRestAtAClear() throws InterruptedException {
        Sink socket = started(new Sink(100, false), 100);
        playback.tick(socket, 0);
        assertThat(socket.pushed).hasSize(10);
        assertThat(playback.playout().heardMillis()).isZero(); // sent ahead, not played yet
        ticks(socket, 10, 300);
        assertThat(playback.playout().heardMillis()).isBetween(280L, 300L);
        long heard = playback.playout().heardMillis();
        playback.clear();
        ticks(socket, 300, 600);
        assertThat(playback.playout().heardMillis()).isEqualTo(heard);
    }

    @Test
    void aPauseHoldsTheQueueWithSilenceAndAResumePlaysOnFromThere() throws InterruptedException {
        Sink track = started(new Sink(0, true), 40);
        long t = ticks(track, 0, 100);
        assertThat(track.audio()).isEqualTo(10);
        playback.pause(true);
        t = ticks(track, t, t + 300);
        assertThat(track.audio()).isEqualTo(10);
        assertThat(track.silence()).as("silence at once").isEqualTo(30);
        assertThat(playback.playout().heardMillis()).isBetween(90L, 100L);
        assertThat(playback.queuedMillis()).isEqualTo(300);
        playback.pause(false);
        ticks(track, t, t + 300);
        assertThat(track.audio()).isEqualTo(40);
        List<Short> audio = track.pushed.stream().filter(x -> x != 0).toList();
        for (int i = 0; i < audio.size(); i++) {
            assertThat(audio.get(i)).isEqualTo((short) (i + 1)); // nothing dropped, in order
        }
    }

    @Test
    void anIdlePlayoutThreadWaitsForAudioInsteadOfTickingAndWakesWhenSomeIsQueued() throws InterruptedException {
        AtomicInteger pushed = new AtomicInteger();
        AtomicInteger idles = new AtomicInteger();
        AudioSink sink = new AudioSink() {
            @Override
            public void push(AudioFrame frame) {
                pushed.incrementAndGet();
            }


            @Override
            public void idle() {
                idles.incrementAndGet();
            }
        };
        Thread player = new Thread(() -> playback.play(sink, () -> false), "test-playout");
        player.setDaemon(true);
        player.start();
        try {
            // WAITING, not TIMED_WAITING: parked until audio comes, not sleeping until the next 10 ms tick.
            await().atMost(Duration.ofSeconds(10)).until(() -> player.getState() == Thread.State.WAITING);
            playback.enqueue(AudioFrame.silence(RATE, 1, 40)); // in one piece: played without a gap
            await().atMost(Duration.ofSeconds(10)).until(() -> idles.get() == 1);
            assertThat(pushed.get()).as("4 frames of audio").isEqualTo(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> player.getState() == Thread.State.WAITING);
            playback.enqueue(AudioFrame.silence(RATE, 1, 20));
            await().atMost(Duration.ofSeconds(10)).until(() -> idles.get() == 2);
            assertThat(pushed.get()).isEqualTo(6);
        } finally {
            player.interrupt();
            player.join(5000);
        }
    }

    @Test
    void aTrackThatCarriesSilenceKeepsItsTimelineAfterTheGrace() throws InterruptedException {
        Sink track = new Sink(0, true);
        playback.start(track, 0);
        long t = live(track);
        // One tick of grace for late audio, then that tick made up: no pause after the reply, which
        // would reach the client as lateness of every later packet.
        t = ticks(track, t, t + 10L * Playback.GRACE_TICKS);
        assertThat(track.pushed).hasSize(10);
        for (int i = 1; i <= 10; i++) {
            playback.tick(track, t * MS);
            t += 10;
            assertThat(track.pushed).hasSize(10 + Playback.GRACE_TICKS + i);
        }
        // A late tick (the playout thread descheduled for 50 ms) is made up with silence, not owed.
        t += 40;
        playback.tick(track, t * MS);
        assertThat(track.pushed).hasSize(25 + Playback.GRACE_TICKS);
        // The silence is on time, not audio the client has still to play: the reply is over.
        assertThat(playback.queuedMillis()).isZero();
        assertThat(playback.playout().heardMillis()).isEqualTo(playback.playout().writtenMillis());
        produce(3);
        playback.tick(track, (t + 10) * MS);
        assertThat(track.audio() - 10).as("the next audio is paced, not burst").isEqualTo(1);
    }

    @Test
    void aTrackThatCarriesSilencePlaysAudioThatCameWithinTheGraceWithoutSilenceAhead()
            throws InterruptedException {
        Sink track = new Sink(0, true);
        playback.start(track, 0);
        long t = live(track);
        t = ticks(track, t, t + 10L * Playback.GRACE_TICKS); // a live producer's chunk is late
        produce(2);
        ticks(track, t, t + 20);
        assertThat(track.pushed).hasSize(12);
        assertThat(track.silence()).as("no silence ahead of the late audio, delaying the rest of the stream").isZero();
    }

    @Test
    void aTrackThatCarriesSilenceLeavesOutOneSilenceFrameInEveryFewHundred() throws InterruptedException {
        Sink track = new Sink(0, true);
        playback.start(track, 0);
        long t = live(track);
        int silentTicks = 3 * Playback.TRIM_EVERY_FRAMES;
        ticks(track, t, t + 10L * silentTicks);
        assertThat(track.silence()).isEqualTo(silentTicks - 3L);
    }
}
