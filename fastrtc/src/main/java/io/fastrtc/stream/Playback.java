package io.fastrtc.stream;

import io.fastrtc.audio.AudioChunker;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.AudioOutput;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A connection's outgoing audio: frames of any rate and length are converted to 10 ms frames at the
 * handler's output rate, queued, and pushed to the network in real time by {@link #play}.
 *
 * <p>The queue holds at most {@value #MAX_AHEAD_MS} ms: a producer that is ahead (a reply
 * generator, a receive-mode source) waits instead of queueing minutes of audio, which also keeps a
 * barge-in {@link #clear()} cheap. {@code clear()} also makes a waiting producer drop the rest of
 * what it was adding, so an interrupted reply never resumes.
 */
final class Playback {

    static final int MAX_AHEAD_MS = 1000;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Silence sent after the last audio (or a barge-in flush). Without it the client's decoder
     * conceals the missing packets by stretching the last sound, so a cut reply fades out over a few
     * hundred milliseconds instead of stopping.
     */
    private static final int SILENT_TAIL_FRAMES = 20;

    private final AudioChunker chunker;
    private final ArrayDeque<AudioFrame> queue = new ArrayDeque<>();
    private long generation;
    private long played;

    private final AudioFrame silence;

    Playback(int sampleRate) {
        chunker = new AudioChunker(sampleRate, 1);
        silence = AudioFrame.silence(sampleRate, 1, 10);
    }

    /** Queues audio, waiting while more than {@value #MAX_AHEAD_MS} ms are ahead. */
    void enqueue(AudioFrame audio) throws InterruptedException {
        List<AudioFrame> frames;
        long mine;
        synchronized (this) {
            frames = chunker.push(audio);
            mine = generation;
        }
        add(frames, mine);
    }

    /** Queues whatever is left in the chunker (padded to a whole frame); for when the producer goes idle. */
    void flush() throws InterruptedException {
        List<AudioFrame> frames;
        long mine;
        synchronized (this) {
            frames = chunker.flush();
            mine = generation;
        }
        add(frames, mine);
    }

    private synchronized void add(List<AudioFrame> frames, long mine) throws InterruptedException {
        for (AudioFrame frame : frames) {
            while (queue.size() * 10 >= MAX_AHEAD_MS && generation == mine) {
                wait();
            }
            if (generation != mine) {
                return;
            }
            int half = frame.samplesPerChannel() / 2;
            queue.add(frame.slice(0, half));
            queue.add(frame.slice(half, frame.samplesPerChannel()));
        }
    }

    /** Drops everything not yet played, now. */
    synchronized void clear() {
        queue.clear();
        chunker.clear();
        generation++;
        notifyAll();
    }

    /** Milliseconds of audio waiting to be played. */
    synchronized int queuedMillis() {
        return queue.size() * 10;
    }

    /** Frames played so far. */
    synchronized long played() {
        return played;
    }

    /** Waits until the queue is empty (or {@code timeoutMillis} passed). */
    synchronized void awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!queue.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private synchronized AudioFrame next() {
        AudioFrame frame = queue.poll();
        if (frame != null) {
            played++;
            notifyAll();
        }
        return frame;
    }

    /** Pushes one 10 ms frame every 10 ms until interrupted. */
    void play(AudioOutput output, java.util.function.BooleanSupplier closed) {
        // Resynchronise after 10 late ticks, as FastRTC's player does.
        Pacer pacer = new Pacer(TICK_NANOS, 10 * TICK_NANOS);
        int tail = 0;
        try {
            while (!closed.getAsBoolean()) {
                AudioFrame frame = next();
                if (frame != null) {
                    output.push(frame);
                    tail = SILENT_TAIL_FRAMES;
                } else if (tail > 0) {
                    output.push(silence);
                    tail--;
                }
                pacer.await();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }
}
