package io.fastrtc.agent;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A model's answer as it is written, handed over sentence by sentence to the thread that speaks it. */
final class Answer implements ChatStream.Tokens {

    /** The model failed, sent nothing for too long, or could not start. */
    static final class Failed extends Exception {
        Failed(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final Object END = new Object();

    private final SentenceSplitter splitter = new SentenceSplitter();
    private final BlockingQueue<Object> sentences = new LinkedBlockingQueue<>();
    private final StringBuilder written = new StringBuilder();
    private boolean ended;

    @Override
    public synchronized void partial(String text) {
        if (!ended && text != null) {
            written.append(text);
            sentences.addAll(splitter.add(text));
        }
    }

    @Override
    public synchronized void complete() {
        if (!ended) {
            ended = true;
            sentences.addAll(splitter.finish());
            sentences.add(END);
        }
    }

    @Override
    public synchronized void failed(Throwable error) {
        if (!ended) {
            ended = true;
            sentences.add(new Failed("the chat model failed", error));
        }
    }

    /** Whether a sentence is written and waits to be taken. */
    boolean sentenceWaits() {
        return sentences.stream().anyMatch(String.class::isInstance);
    }

    /** Whether another sentence may still come: the model still writes, or a sentence waits. */
    synchronized boolean mayContinue() {
        return !ended || sentenceWaits();
    }

    /** The text written so far, as the model wrote it. */
    synchronized String written() {
        return written.toString();
    }

    /**
     * The next sentence, or null once the answer is complete.
     *
     * @throws Failed if the model failed or wrote no sentence within {@code timeout}
     * @throws InterruptedException if the reply was interrupted meanwhile
     */
    String next(Duration timeout) throws Failed, InterruptedException {
        Object next = sentences.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new Failed("the chat model wrote no sentence in " + timeout.toSeconds() + " s", null);
        }
        if (next instanceof Failed f) {
            throw f;
        }
        return next == END ? null : (String) next;
    }
}
