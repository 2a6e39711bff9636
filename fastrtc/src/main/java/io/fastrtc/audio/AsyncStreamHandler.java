package io.fastrtc.audio;

import io.fastrtc.handler.Emit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The asynchronous form of {@link StreamHandler} (FastRTC's {@code AsyncStreamHandler}), for
 * handlers built on non-blocking clients: return stages instead of blocking. A stage from
 * {@link #onEmit()} that has not completed after 60 s counts as "no output" (FastRTC's emit timeout).
 */
public abstract class AsyncStreamHandler extends StreamHandler {

    private static final long EMIT_TIMEOUT_SECONDS = 60;

    protected AsyncStreamHandler() {
        super();
    }

    protected AsyncStreamHandler(int inputSampleRate, Layout expectedLayout, int outputSampleRate) {
        super(inputSampleRate, expectedLayout, outputSampleRate);
    }

    public abstract CompletionStage<Void> onReceive(AudioFrame frame);

    public abstract CompletionStage<? extends Emit> onEmit();

    /** A long-running start-up task is fine (e.g. keeping an upstream socket open for the session). */
    public CompletionStage<Void> onStartUp() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public final void receive(AudioFrame frame) throws Exception {
        await(onReceive(frame), Long.MAX_VALUE);
    }

    @Override
    public final Emit emit() throws Exception {
        try {
            return await(onEmit(), EMIT_TIMEOUT_SECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    @Override
    public final void startUp() throws Exception {
        await(onStartUp(), Long.MAX_VALUE);
    }

    private static <T> T await(CompletionStage<T> stage, long seconds) throws Exception {
        if (stage == null) {
            return null;
        }
        try {
            CompletableFuture<T> future = stage.toCompletableFuture();
            return seconds == Long.MAX_VALUE ? future.get() : future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception ex ? ex : e;
        }
    }
}
