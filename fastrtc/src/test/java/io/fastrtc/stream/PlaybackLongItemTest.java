package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioChunker;
import io.fastrtc.audio.AudioFrame;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A reply handed over whole (a synthesised answer at the TTS's rate) starts playing before the rest
 * of it is converted to the playback rate, and is converted exactly as it would be in one piece.
 */
class PlaybackLongItemTest {

    private static final int RATE = 16000;
    private static final int TTS_RATE = 22050;

    /** Keeps what it is sent. */
    private static final class Sink implements AudioSink {
        final List<AudioFrame> pushed = new ArrayList<>();

        @Override
        public void push(AudioFrame frame) {
            pushed.add(frame);
        }
    }

    private static AudioFrame sweep(int seconds) {
        short[] pcm = new short[TTS_RATE * seconds];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * (200 + i / 50.0) * i / TTS_RATE));
        }
        return AudioFrame.ofPcm16(TTS_RATE, 1, pcm);
    }

    /**
     * Measured in what the producer's thread allocated before the first frame was queued, not in time:
     * converting 20 s first allocates at least its 640 kB of converted samples.
     */
    @Test
    void aLongItemsFirstFrameIsQueuedBeforeTheRestOfItIsConverted() throws InterruptedException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AudioFrame item = sweep(20);
        long whole = 20L * RATE * 2;
        Playback playback = new Playback(RATE);
        AtomicLong start = new AtomicLong(-1);
        AtomicLong atFirstFrame = new AtomicLong(-1);
        playback.start(new Sink(), 0, () -> atFirstFrame.compareAndSet(-1, threads.getCurrentThreadAllocatedBytes()));
        Thread producer = new Thread(() -> {
            try {
                start.set(threads.getCurrentThreadAllocatedBytes());
                playback.enqueue(item); // waits once a second is queued, until the clear below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> atFirstFrame.get() >= 0);
        playback.clear();
        producer.join(10_000);

        assertThat(producer.isAlive()).isFalse();
        assertThat(atFirstFrame.get() - start.get()).as("bytes allocated before the first frame was queued")
                .isLessThan(whole / 4);
    }

    /**
     * A socket client is sent ahead of real time, so each tick may empty the queue while the producer
     * converts the item's next slice; the sink must not be told it went idle (a Twilio mark, "played")
     * before the whole item was sent.
     */
    @Test
    void aSinkIsNotToldItWentIdleBetweenTheSlicesOfOneItem() throws Exception {
        AudioFrame item = sweep(20);
        double[] sentAtIdle = {-1};
        double[] sent = {0};
        AudioSink client = new AudioSink() {
            @Override
            public void push(AudioFrame frame) {
                sent[0] += frame.durationMillis();
            }

            @Override
            public int leadMillis() {
                return 60_000; // takes whatever is queued, at every tick
            }

            @Override
            public void idle() {
                if (sentAtIdle[0] < 0) {
                    sentAtIdle[0] = sent[0];
                }
            }
        };
        Playback playback = new Playback(RATE);
        playback.start(client, 0);
        Thread producer = new Thread(() -> {
            try {
                playback.enqueue(item);
                playback.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        long now = 0;
        while (producer.isAlive() || !playback.idle()) {
            playback.tick(client, now += 10_000_000L);
        }
        producer.join();

        assertThat(sentAtIdle[0]).as("audio sent when the sink was told it went idle")
                .isCloseTo(item.durationMillis(), org.assertj.core.data.Offset.offset(20.0));
    }

    @Test
    void aLongItemIsConvertedAsInOnePiece() throws InterruptedException {
        AudioFrame item = sweep(1);
        Playback playback = new Playback(RATE);
        Sink sink = new Sink();
        playback.start(sink, 0);
        playback.enqueue(item);
        playback.flush();
        for (long t = 0; t < 2000; t += 10) {
            playback.tick(sink, t * 1_000_000L);
        }
        AudioChunker whole = new AudioChunker(RATE, 1);
        List<AudioFrame> expected = new ArrayList<>(whole.push(item));
        expected.addAll(whole.flush());

        short[] played = sink.pushed.stream().map(AudioFrame::toPcm16).reduce(new short[0], PlaybackLongItemTest::concat);
        short[] converted = expected.stream().map(AudioFrame::toPcm16).reduce(new short[0], PlaybackLongItemTest::concat);
        assertThat(played).isEqualTo(converted);
    }

    private static short[] concat(short[] a, short[] b) {
        short[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
