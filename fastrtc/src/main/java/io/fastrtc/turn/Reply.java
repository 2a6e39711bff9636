package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.handler.Emit;
import io.fastrtc.internal.Threads;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Java's stand-in for a Python generator of reply items: code that {@linkplain Sink#send sends}
 * items one by one runs on its own thread, and the consumer pulls them as an {@link Iterator}.
 * When the reply is interrupted the producer learns it at once: {@link Sink#interrupted()} turns
 * true and its next {@code send} throws {@link Interrupted}.
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
        /** Hands one item to the listener, waiting while a few are still unplayed. */
        void send(Emit item) throws Interrupted;

        /** True once the user interrupted this reply or the connection ended. */
        boolean interrupted();

        /**
         * How much of this reply's audio the caller has heard so far. After an interruption it says
         * where the caller stopped listening, e.g. to keep only the words actually played.
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

    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new ArrayBlockingQueue<>(4);
    private volatile boolean cancelled;
    private volatile Thread producer;
    private Object next;

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
            // Audio handed over so far: an upper bound of what was heard, as playback is not tracked here
            // (the turn-taking layer's sink replaces it with the audio actually played).
            private volatile long sentNanos;

            @Override
            public void send(Emit item) {
                if (reply.cancelled) {
                    throw new Interrupted();
                }
                try {
                    reply.items.put(item);
                } catch (InterruptedException e) {
                    throw new Interrupted();
                }
                Emit media = item instanceof Emit.WithOutputs w ? w.media() : item;
                if (media instanceof AudioFrame audio) {
                    sentNanos += (long) (audio.durationMillis() * 1_000_000);
                }
            }

            @Override
            public Duration played() {
                return Duration.ofNanos(sentNanos);
            }

            @Override
            public boolean interrupted() {
                return reply.cancelled;
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
