package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Sessions played by one shared thread, in real time: each gets what its own playout thread gave it. */
class PlayoutClockTest {

    private static final int RATE = 16000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PlayoutClock clock = new PlayoutClock("test-playout");

    /** A track's sink: records the first sample of every frame and the thread that pushed it. */
    private static final class Track implements AudioSink {
        final List<Short> pushed = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile boolean fail;

        @Override
        public void push(AudioFrame frame) {
            if (fail) {
                throw new IllegalStateException("push failed");
            }
            pushed.add(frame.toPcm16()[0]);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public boolean carriesSilence() {
            return true;
        }

        long audio() {
            return pushed.stream().filter(s -> s != 0).count();
        }
    }

    private static AudioFrame tone(int millis, short value) {
        short[] pcm = new short[RATE / 1000 * millis];
        Arrays.fill(pcm, value);
        return AudioFrame.ofPcm16(RATE, 1, pcm);
    }

    @Test
    void everySessionPlaysItsOwnAudioInOrderThenCarriesSilenceFromOneThread() throws InterruptedException {
        Playback first = new Playback(RATE);
        Playback second = new Playback(RATE);
        Track one = new Track();
        Track two = new Track();
        clock.add(first, one, () -> false);
        clock.add(second, two, () -> false);
        Thread.sleep(50);
        assertThat(one.pushed).as("nothing is sent before the first audio").isEmpty();
        assertThat(first.idle()).isTrue();

        first.enqueue(tone(100, (short) 7));
        await().atMost(WAIT).until(() -> one.audio() == 10);
        assertThat(two.pushed).as("an idle session is not ticked").isEmpty();
        second.enqueue(tone(60, (short) 9));
        await().atMost(WAIT).until(() -> two.audio() == 6 && one.pushed.size() > 20 && two.pushed.size() > 20);

        assertThat(one.pushed.subList(0, 10)).containsOnly((short) 7);
        assertThat(one.pushed.subList(10, one.pushed.size())).as("silence after the reply").containsOnly((short) 0);
        assertThat(two.pushed.subList(0, 6)).containsOnly((short) 9);
        assertThat(first.idle()).as("a track's timeline never pauses").isFalse();
        assertThat(one.threads).containsOnly("test-playout");
        assertThat(two.threads).containsOnly("test-playout");
    }

    @Test
    void aClosedSessionIsDroppedAndOneWhosePushFailsStopsAloneWhileTheOthersPlayOn() throws InterruptedException {
        AtomicBoolean closed = new AtomicBoolean();
        Playback ending = new Playback(RATE);
        Playback failing = new Playback(RATE);
        Playback going = new Playback(RATE);
        Track endingTrack = new Track();
        Track failingTrack = new Track();
        Track goingTrack = new Track();
        clock.add(ending, endingTrack, closed::get);
        clock.add(failing, failingTrack, () -> false);
        clock.add(going, goingTrack, () -> false);
        ending.enqueue(tone(20, (short) 1));
        failing.enqueue(tone(20, (short) 2));
        going.enqueue(tone(20, (short) 3));
        await().atMost(WAIT).until(() -> endingTrack.audio() == 2 && failingTrack.audio() == 2 && goingTrack.audio() == 2);

        closed.set(true);
        failingTrack.fail = true;
        await().atMost(WAIT).until(() -> clock.players() == 1);
        int ended = endingTrack.pushed.size();
        int failed = failingTrack.pushed.size();
        int before = goingTrack.pushed.size();
        await().atMost(WAIT).until(() -> goingTrack.pushed.size() > before + 10);
        assertThat(endingTrack.pushed).hasSize(ended);
        assertThat(failingTrack.pushed).hasSize(failed);
    }
}
