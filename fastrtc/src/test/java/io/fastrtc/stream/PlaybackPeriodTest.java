package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The playout thread feeds a sink at the sink's period, on a real clock. */
class PlaybackPeriodTest {

    @Test
    void aClientFedAheadIsFedAMessageATickNotAFrame() throws InterruptedException {
        List<Long> pushes = new CopyOnWriteArrayList<>();
        AudioSink sink = new AudioSink() {
            @Override
            public void push(AudioFrame frame) {
                pushes.add(System.nanoTime());
            }

            @Override
            public int leadMillis() {
                return 200;
            }

            @Override
            public int periodMillis() {
                return 20;
            }
        };
        Playback playback = new Playback(8000);
        Thread player = new Thread(() -> playback.play(sink, () -> false), "test-playout");
        player.setDaemon(true);
        player.start();
        try {
            playback.enqueue(AudioFrame.silence(8000, 1, 1000));
            await().atMost(Duration.ofSeconds(10)).until(() -> pushes.size() == 100);
        } finally {
            player.interrupt();
            player.join(5000);
        }
        // The lead goes at once, then 800 ms in real time: 40 wake-ups at 20 ms (80 at 10 ms; a late
        // tick sends more at once, so a busy machine only makes them fewer).
        int wakeUps = 1;
        for (int i = 1; i < pushes.size(); i++) {
            if (pushes.get(i) - pushes.get(i - 1) > 5_000_000L) {
                wakeUps++;
            }
        }
        assertThat(wakeUps).isBetween(20, 60);
    }
}
