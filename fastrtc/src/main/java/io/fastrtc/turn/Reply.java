package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Emit;
import io.fastrtc.internal.Threads;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Java's stand-in for a Python generator of reply items: code that {@linkplain Sink#send sends}
 * items one by one runs on its own thread, and the consumer pulls them as an {@link Iterator}.
 * When the reply is interrupted the producer learns it at once: {@link Sink#interrupted()} turns
 * true and its next {@code send} throws {@link Interrupted}, and {@link Sink#played()} says how
 * much of it the caller heard (so an agent can keep in its memory only what was said).
 *
 * <p>The producer is kept at most {@value #MAX_LEAD_MS} ms of audio ahead of what the caller has
 * heard (longer only for a single item longer than that), counted in time, not in items: a
 * producer that hands over whole sentences waits as long as one that hands over 20 ms frames.
 *
 * <pre>{@code
 * new ReplyOnPause(audio -> Reply.generate(out -> {
 *     for (String sentence : llm.answer(stt.transcribe(audio))) {
 *         out.send(tts.speak(sentence));
 *     }
 * }));
 * }</pre>
 */
public final class Reply implements Iterator<Emit>, AutoCloseable {

    /** Where a reply's producer sends its items. */
    public interface Sink {
        /** Hands one item to the listener, waiting while more than a second of audio is unheard. */
        void send(Emit item) throws Interrupted;

        /** True once the user interrupted this reply or the connection ended. */
        boolean interrupted();

        /**
         * The audio of this reply the caller has heard so far, exact to within one 10 ms frame when
         * {@link ReplyOnPause} plays it (elsewhere, the audio handed to the listener). After an
         * interruption it says where the caller stopped listening, e.g. to keep only the words played.
         */
        Duration played();
    }

    /** Code that produces a reply. */
    @FunctionalInterface
    public interface Producer {
        void produce(Sink out) throws Exception;
    }

    /** Thrown by {@link Sink#send} once the reply was interrupted; let it propagate. */
    public static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("the reply was interrupted", null, false, false);
        }
    }

    /** The most audio the producer may be ahead of what was heard. */
    static final int MAX_LEAD_MS = 1000;
    /** Below this much unheard audio the next item is always accepted, so long items do not leave gaps. */
    static final int LOW_WATER_MS = 100;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;
    private volatile Thread producer;
    private Object next;
    /** Audio sent by the producer (ms), and handed to the listener (ns). */
    private double sentMillis;
    private volatile long takenNanos;
    /** Where the listener reports what was heard, in ns; null until it does. */
    private volatile LongSupplier heard;

    private Reply() {
    }

    /** A reply of fixed items. */
    public static Iterator<Emit> of(Emit... items) {
        return Arrays.<Emit>asList(items).iterator();
    }

    /** A reply produced by {@code producer} on its own thread. */
    public static Reply generate(Producer producer) {
        Reply reply = new Reply();
        Sink sink = new Sink() {
            @Override
            public void send(Emit item) {
                try {
                    reply.awaitRoom(audioMillis(item));
                    reply.items.put(item);
                } catch (InterruptedException e) {
                    throw new Interrupted();
                }
                if (reply.cancelled) {
                    throw new Interrupted();
                }
            }

            @Override
            public boolean interrupted() {
                return reply.cancelled;
            }

            @Override
            public Duration played() {
                return Duration.ofNanos(reply.playedNanos());
            }
        };
        Thread t = Threads.workers("fastrtc-reply").newThread(() -> {
            Object last = END;
            try {
                producer.produce(sink);
            } catch (Interrupted e) {
                // the listener went away
            } catch (Exception e) {
                last = e;
            } finally {
                reply.finish(last);
            }
        });
        reply.producer = t;
        t.start();
        return reply;
    }

    /** Waits until {@code millis} more of audio keeps the lead within bounds (or it is small). */
    private void awaitRoom(double millis) throws InterruptedException {
        double limit = Math.max(LOW_WATER_MS, MAX_LEAD_MS - millis);
        while (!cancelled && sentMillis - playedNanos() / 1e6 > limit) {
            TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
        }
        if (cancelled) {
            throw new InterruptedException();
        }
        sentMillis += millis;
    }

    long playedNanos() {
        LongSupplier h = heard;
        return h != null ? h.getAsLong() : takenNanos;
    }

    /** From now on, {@code heard} says how much of this reply the caller has heard, in ns. */
    void reportHeard(LongSupplier heard) {
        this.heard = heard;
    }

    static double audioMillis(Emit item) {
        Emit media = item instanceof Emit.WithOutputs w ? w.media() : item;
        return media instanceof AudioFrame audio ? audio.durationMillis() : 0;
    }

    private void finish(Object last) {
        if (!cancelled) {
            try {
                items.put(last);
            } catch (InterruptedException e) {
                // cancelled meanwhile
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            if (cancelled) {
                return false;
            }
            try {
                next = items.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (next instanceof Exception e) {
            next = END;
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
        return next != END;
    }

    @Override
    public Emit next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Emit item = (Emit) next;
        next = null;
        takenNanos += (long) (audioMillis(item) * 1e6);
        return item;
    }

    /** Stops the producer (safe from any thread). */
    @Override
    public void close() {
        cancelled = true;
        Thread t = producer;
        if (t != null) {
            t.interrupt();
        }
        items.clear();
        items.offer(END); // wakes a consumer blocked in hasNext()
    }
}
