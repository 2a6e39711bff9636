package io.fastrtc.stream;

import io.fastrtc.audio.AudioChunker;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Playout;
import io.fastrtc.internal.Pacer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A session's outgoing audio: frames of any rate and length are converted to 10 ms frames at the
 * playback rate, queued, and sent to an {@link AudioSink} in real time by {@link #play}.
 *
 * <p>The queue holds at most {@value #MAX_AHEAD_MS} ms: a producer that is ahead (a reply
 * generator, a receive-mode source) waits instead of queueing minutes of audio, which also keeps a
 * barge-in {@link #clear()} cheap. {@code clear()} also makes a waiting producer drop the rest of
 * what it was adding, so an interrupted reply never resumes, and tells the sink's client to drop
 * what it has buffered.
 *
 * <p>A sink may be fed up to its {@link AudioSink#leadMillis() lead} ahead of real time (a socket
 * client buffers against network jitter); audio sent and not yet played by the client counts as
 * queued for {@link #queuedMillis()} and {@link #awaitDrained}.
 *
 * <p>A track is fed in real time. Audio that comes late because the playout thread itself was late
 * (a busy machine) is sent as soon as it can be, up to {@value #CATCH_UP_MS} ms of it (FastRTC's
 * player, pacing by timestamp, catches up within 10 × 20 ms the same way): the listener's jitter
 * buffer absorbs the burst, instead of every later frame waiting behind real time for good. A sink
 * that does not carry silence (a socket client's) is told {@link AudioSink#idle()} when the audio
 * runs out; the next audio starts a new run from then.
 *
 * <p>A track that {@link AudioSink#carriesSilence() carries silence} (a WebRTC track) never pauses
 * its timeline: libwebrtc stamps packets by the samples pushed, so a pause would reach the client as
 * that much lateness of every later packet, which its jitter buffer learns as jitter and holds as
 * delay (a 40 ms pause after every reply made it aim at 60-100 ms). It waits
 * {@value #GRACE_TICKS} tick for late audio (a live producer's 20 ms chunk up to 10 ms late is
 * played without silence ahead of it), then sends silence, the tick it waited included; silence
 * right away after {@link #clear()} or {@link #pause}. A producer later than that is preceded by the
 * silence sent meanwhile, and a live stream (an echo) keeps that delay: the price of a timeline
 * that never pauses.
 *
 * <p>Audio that comes into an empty queue wakes the player for an extra tick, so the first frame of
 * a reply goes out at once, a whole 10 ms Opus packet (with a client that asked for 20 ms packets,
 * one with the next regular tick's frame, a tick sooner); the ticks keep their schedule, and the run
 * plays up to a tick ahead of it.
 *
 * <p>Of the silence sent to a track between replies, one 10 ms frame in {@value #TRIM_EVERY_FRAMES}
 * is left out. The client's jitter buffer (libwebrtc's NetEq, in browsers too) starts aiming at
 * 80 ms, and once it has learned the path's jitter it only shrinks what it holds down to the top of
 * its window (its target plus the largest lateness of the last 2 s plus 20 ms, about 50-60 ms on a
 * quiet network), never to the target (20 ms on such a network): a continuous stream gives it
 * nothing to shrink further with. A frame left out of the silence drains 10 ms of it, the way a
 * sender's slower clock would, until the buffer is at its target, where NetEq stretches the silence
 * to stay; the next reply then waits behind that much less. One frame per 2.5 s keeps
 * the 10 ms step alone in NetEq's 2 s history, so it is not taken for jitter that needs a larger
 * target (its delay histogram counts in 20 ms steps).
 *
 * <p>{@link #play} sleeps while there is nothing to play, and wakes when audio is queued; a
 * {@link PlayoutClock} plays many sessions from one thread the same way.
 *
 * <p>{@link #playout()} counts, in ms of audio, what the producer handed over and what the client
 * has heard (sent to a track, or sent and played by a buffering client), so a reply knows how much
 * of it was heard to within one 10 ms frame.
 */
final class Playback {

    static final int MAX_AHEAD_MS = 1000;
    static final int CATCH_UP_MS = 200;
    static final int TRIM_EVERY_FRAMES = 250;
    /** How much of a long item is converted before its frames are queued. */
    static final int SLICE_MS = 200;
    /** Empty ticks a track that carries silence waits for late audio; 10 ms of lateness stays within NetEq's smallest step. */
    static final int GRACE_TICKS = 1;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MS);

    private final AudioChunker chunker;
    private final ArrayDeque<AudioFrame> queue = new ArrayDeque<>();
    private final AudioFrame silence;
    /** Held while sending, so a frame taken before a {@link #clear()} never reaches the client after it. */
    private final Object sending = new Object();
    private long generation;
    /** Audio sent beyond real time, as far as pacing knows, in nanoseconds; negative while a track is owed audio. */
    private long clientAhead;
    private long lastTick;
    private volatile AudioSink sink;
    /** Wakes the player ({@link #play}'s thread, or a {@link PlayoutClock}) when audio comes into an empty queue. */
    private volatile Runnable waker;
    // The run of audio being played; touched only while holding `sending`.
    private boolean active;
    /** Producers part-way through converting an item: their audio is still to come, so a sink is not told it went idle. */
    private int converting;
    private int emptyTicks;
    /** Silence frames sent since one was last left out, over every pause of the session. */
    private int sinceTrim;
    private boolean cut;
    // Positions of the output in ms of audio since the start (see Playout): audio sent to the sink,
    // sent audio the client dropped at a clear, audio accepted from the producer, and heard.
    private long sentMillis;
    private long droppedMillis;
    private double writtenMillis;
    private long heardMillis;
    private boolean paused;
    /** The client is ahead by silence ({@link #carrySilence}), not by audio it has still to play. */
    private boolean aheadBySilence;

    Playback(int sampleRate) {
        chunker = new AudioChunker(sampleRate, 1);
        silence = AudioFrame.silence(sampleRate, 1, 10);
    }

    int sampleRate() {
        return chunker.sampleRate();
    }

    /**
     * Queues audio, waiting while more than {@value #MAX_AHEAD_MS} ms are ahead. A long item (a whole
     * synthesised answer) is converted {@value #SLICE_MS} ms at a time, so its first frames play while
     * the rest is converted: resampling 8 s at once held a reply's first frame back 15-200 ms. It is
     * converted under this object's lock, which the playout thread takes at every tick ({@link
     * PlayoutClock}: one thread for every WebRTC session), so that thread waits one slice at most.
     */
    void enqueue(AudioFrame audio) throws InterruptedException {
        long mine;
        synchronized (this) {
            mine = generation;
            writtenMillis += audio.durationMillis();
            converting++;
        }
        try {
            int samples = audio.samplesPerChannel();
            int slice = Math.max(1, audio.sampleRate() * SLICE_MS / 1000);
            for (int at = 0; at < samples || at == 0; at += slice) {
                AudioFrame part = samples <= slice ? audio : audio.slice(at, Math.min(samples, at + slice));
                List<AudioFrame> frames;
                synchronized (this) {
                    if (generation != mine) {
                        return; // cleared: the rest is dropped, as a waiting producer's frames are
                    }
                    frames = chunker.push(part);
                }
                add(frames, mine);
            }
        } finally {
            synchronized (this) {
                converting--;
            }
        }
    }

    /** Queues whatever is left in the chunker (padded to a whole frame); for when the producer goes idle. */
    void flush() throws InterruptedException {
        List<AudioFrame> frames;
        long mine;
        synchronized (this) {
            frames = chunker.flush(); // its padding is not audio anyone wrote
            mine = generation;
        }
        add(frames, mine);
    }

    private synchronized void add(List<AudioFrame> frames, long mine) throws InterruptedException {
        boolean wasEmpty = queue.isEmpty();
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
            if (wasEmpty) {
                wasEmpty = false;
                Runnable w = waker;
                if (w != null) {
                    w.run(); // an extra tick now, not at the next one
                }
            }
            notifyAll(); // an idle play() waits for audio
        }
    }

    /** Drops everything not yet played, now, here and (if it was playing) at the client. */
    void clear() {
        synchronized (sending) {
            AudioSink s = sink;
            boolean audible;
            synchronized (this) {
                int unplayed = unplayed(s);
                audible = !queue.isEmpty() || unplayed > 0;
                if (s != null) {
                    droppedMillis += unplayed;
                }
                writtenMillis = heard();
                queue.clear();
                chunker.clear();
                generation++;
                if (s == null || !s.carriesSilence()) {
                    clientAhead = 0; // a track cannot take back what it sent: its timeline goes on
                }
                notifyAll();
            }
            if (audible && s != null) {
                s.clear();
            }
            cut = true;
        }
    }

    /** The written and heard positions; the frames a waiting producer is adding count as written. */
    synchronized Playout playout() {
        return new Playout(Math.round(writtenMillis), heard());
    }

    private long heard() {
        heardMillis = Math.max(heardMillis,
                Math.min(Math.round(writtenMillis), sentMillis - droppedMillis - unplayed(sink)));
        return heardMillis;
    }

    /** Holds the queue where it is (the sink gets silence or nothing), or lets it play on. */
    void pause(boolean hold) {
        synchronized (sending) {
            synchronized (this) {
                paused = hold;
            }
            if (hold) {
                cut = true; // silence at once, as after a clear
            }
        }
    }

    /** Milliseconds of audio waiting to be played, here or at the client. */
    synchronized int queuedMillis() {
        return queue.size() * 10 + unplayed(sink);
    }

    private int unplayed(AudioSink s) {
        return s == null || aheadBySilence ? 0 : s.unplayedMillis((int) TimeUnit.NANOSECONDS.toMillis(Math.max(0, clientAhead)));
    }

    /** Waits until everything queued has been played (or {@code timeoutMillis} passed). */
    synchronized void awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (queuedMillis() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            // Polled: a socket client's playback receipts arrive without notifying us.
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, DRAIN_POLL_NANOS));
        }
    }

    /** The next frame, unless the client is already {@code aheadLimit} nanoseconds ahead. */
    private synchronized AudioFrame next(long aheadLimit) {
        if (clientAhead >= aheadLimit || paused) {
            return null;
        }
        AudioFrame frame = queue.poll();
        if (frame != null) {
            sentMillis += 10;
            clientAhead += TICK_NANOS;
            aheadBySilence = false;
            notifyAll();
        }
        return frame;
    }

    /** Nothing to play for now: the queue is empty, or held. */
    private synchronized boolean drained() {
        return (queue.isEmpty() && converting == 0) || paused;
    }

    /**
     * The client played what real time allowed since the last tick. A track in a run of audio may
     * fall up to {@link #CATCH_UP_NANOS} behind (owed audio is sent when it comes); anything else
     * resumes from now.
     */
    private synchronized void advance(long now, boolean owing) {
        clientAhead = Math.max(owing && !paused ? -CATCH_UP_NANOS : 0, clientAhead - (now - lastTick));
        lastTick = now;
    }

    /**
     * Sends the queue to {@code out} in real time (each tick the sink's period, 10 ms for a track,
     * plus the sink's lead) until closed or interrupted.
     */
    void play(AudioSink out, BooleanSupplier closed) {
        Thread self = Thread.currentThread();
        start(out, System.nanoTime(), () -> LockSupport.unpark(self));
        long period = TimeUnit.MILLISECONDS.toNanos(out.periodMillis());
        // Resynchronise after 100 ms late, FastRTC's player's 10 ticks (the time lost is owed, not lost).
        Pacer pacer = new Pacer(period, 10 * TICK_NANOS);
        try {
            while (!closed.getAsBoolean()) {
                if (awaitAudio()) {
                    pacer = new Pacer(period, 10 * TICK_NANOS); // resume from now
                }
                tick(out, System.nanoTime());
                pacer.awaitOrWake();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /**
     * Blocks while nothing is queued, no run of audio (or the silence a track carries) is in progress and the
     * client has played all it was sent ahead (pacing counts that down, for {@link #awaitDrained});
     * true if it waited. A voice session is silent most of the time, and a thread ticking 100 times
     * a second per idle session was a large share of a busy server's CPU. Only {@link #play}'s thread
     * changes {@code active} and lowers {@code clientAhead}; {@link #add} wakes it.
     */
    private synchronized boolean awaitAudio() throws InterruptedException {
        boolean waited = false;
        while (idle()) {
            wait();
            waited = true;
        }
        return waited;
    }

    /**
     * Nothing to play until audio comes: nothing queued, no run of audio (or the silence a track
     * carries) in progress, and the client has played all it was sent ahead.
     */
    synchronized boolean idle() {
        return !active && queue.isEmpty() && clientAhead <= 0;
    }

    void start(AudioSink out, long now) {
        start(out, now, null);
    }

    /** Starts the timeline at {@code now}; {@code wake} is run when audio comes into an empty queue. */
    void start(AudioSink out, long now, Runnable wake) {
        synchronized (this) {
            lastTick = now;
        }
        sink = out;
        waker = wake;
    }

    /** One tick of {@link #play} at {@code now} (nanoseconds): sends what is due to {@code out}. */
    void tick(AudioSink out, long now) {
        synchronized (sending) {
            long lead = TimeUnit.MILLISECONDS.toNanos(out.leadMillis());
            advance(now, lead == 0 && active);
            // One frame a tick in real time, more while behind: a buffering client is kept its lead
            // ahead (topped up after a stall, skipped while catching up), a track is caught up.
            AudioFrame frame = next(lead + TICK_NANOS);
            boolean sent = frame != null;
            while (frame != null) {
                out.push(frame);
                frame = next(lead);
            }
            if (sent) {
                emptyTicks = 0;
                cut = false;
                active = true;
            } else if (active && drained()) { // not when the client is ahead enough: this run of audio goes on
                emptyTicks++;
                if (!out.carriesSilence()) {
                    out.idle();
                    active = false;
                    cut = false;
                } else if (cut || emptyTicks > GRACE_TICKS) {
                    carrySilence(out);
                }
            }
        }
    }

    /**
     * Keeps a track that carries silence on real time: a silence frame for every tick without audio
     * once the grace has passed, the ticks it waited and those a late tick missed included, none while
     * a reply's early first frame keeps it a tick ahead. One frame in {@value #TRIM_EVERY_FRAMES} is
     * left out (see the class comment).
     */
    private void carrySilence(AudioSink out) {
        while (ahead() < TICK_NANOS / 2) {
            if (++sinceTrim < TRIM_EVERY_FRAMES) {
                out.push(silence);
            } else {
                sinceTrim = 0; // left out: the client's jitter buffer drains by 10 ms
            }
            synchronized (this) {
                clientAhead += TICK_NANOS;
                aheadBySilence = true;
                notifyAll(); // awaitDrained: what was ahead was silence
            }
        }
    }

    private synchronized long ahead() {
        return clientAhead;
    }
}
