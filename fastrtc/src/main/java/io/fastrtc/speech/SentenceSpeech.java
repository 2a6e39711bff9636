package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default {@link LiveSpeech}: text is cut into sentences as it arrives, and each complete
 * sentence is synthesised on the thread that reads the audio.
 */
final class SentenceSpeech implements LiveSpeech {

    private static final Pattern SENTENCE_END = Pattern.compile("[.!?]\\s+"); // as TextToSpeech.sentences splits

    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: readers may be virtual threads
    private final Condition changed = lock.newCondition();
    private final StringBuilder pending = new StringBuilder();
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private final Iterator<AudioFrame> audio;
    private boolean finished;
    private boolean closed;

    SentenceSpeech(TextToSpeech tts) {
        audio = Sentences.spoken(tts, new Iterator<>() {
            @Override
            public boolean hasNext() {
                lock.lock();
                try {
                    while (!closed && ready.isEmpty() && !finished) {
                        changed.awaitUninterruptibly();
                    }
                    return !closed && !ready.isEmpty();
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                lock.lock();
                try {
                    return ready.removeFirst();
                } finally {
                    lock.unlock();
                }
            }
        });
    }

    @Override
    public void append(String text) {
        Objects.requireNonNull(text, "text");
        lock.lock();
        try {
            if (closed || finished) {
                return;
            }
            pending.append(text);
            int end = completeEnd(pending);
            if (end > 0) {
                ready.addAll(TextToSpeech.sentences(pending.substring(0, end)));
                pending.delete(0, end);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Where the complete sentences of {@code text} end: after the white space that follows its last {@code .!?}. */
    static int completeEnd(CharSequence text) {
        Matcher m = SENTENCE_END.matcher(text);
        int end = 0;
        while (m.find()) {
            end = m.end();
        }
        return end;
    }

    @Override
    public void finish() {
        lock.lock();
        try {
            if (!closed && !finished) {
                ready.addAll(TextToSpeech.sentences(pending.toString()));
                pending.setLength(0);
                finished = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean hasNext() {
        return audio.hasNext();
    }

    @Override
    public AudioFrame next() {
        return audio.next();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
