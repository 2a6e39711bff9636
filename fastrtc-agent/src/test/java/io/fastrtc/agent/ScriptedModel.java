package io.fastrtc.agent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What the fake chat models of the agent tests share: the answer they write and how fast
 * ({@link ModelTiming}), a failure to give instead, when the last answer completed, and how often
 * an answer was cancelled.
 */
public class ScriptedModel {

    public static final String ANSWER = "It is ten past three. The sun sets at six tonight. Anything else?";

    public volatile ModelTiming timing = new ModelTiming(Duration.ofMillis(100), 40);
    public volatile String answer = ANSWER;
    public volatile RuntimeException failure;
    public volatile long completedNanos;
    public final List<Boolean> cancelled = new CopyOnWriteArrayList<>();

    /** Writes {@code text} to {@code onToken}, then runs {@code onDone}; returns what cancels it. */
    protected Runnable write(String text, Consumer<String> onToken, Runnable onDone) {
        AtomicBoolean cancel = new AtomicBoolean();
        timing.write(text, onToken, () -> {
            completedNanos = System.nanoTime();
            onDone.run();
        }, cancel::get);
        return () -> {
            cancel.set(true);
            cancelled.add(true);
        };
    }
}
