package io.fastrtc.audio;

import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.HandlerSession;
import io.fastrtc.handler.Inputs;
import java.time.Duration;
import java.util.Objects;

/**
 * A stateful audio handler, FastRTC's {@code StreamHandler}: the stream calls {@link #receive} for
 * every input frame (20 ms at {@link #inputSampleRate()}, in the {@link #expectedLayout()}) and
 * {@link #emit} in a loop for output. Each connection works on its own {@link #copy()}.
 *
 * <p>Threads: {@code receive} runs on the connection's input thread and {@code emit} on its output
 * thread, so they may run at the same time; share state between them safely. {@code emit} may block
 * briefly (up to ~100 ms) waiting for output and returns {@code null} when nothing is ready.
 * Output may be any sample rate and mono or stereo; it is resampled to {@link #outputSampleRate()}
 * and played in real time. Exceptions from any method go to the client as {@code error} messages.
 */
public abstract class StreamHandler {

    private final int inputSampleRate;
    private final Layout expectedLayout;
    private final int outputSampleRate;
    private volatile HandlerSession session;

    /** 48 kHz mono in, 24 kHz out: FastRTC's defaults. */
    protected StreamHandler() {
        this(48000, Layout.MONO, 24000);
    }

    protected StreamHandler(int inputSampleRate, Layout expectedLayout, int outputSampleRate) {
        checkRate("inputSampleRate", inputSampleRate);
        checkRate("outputSampleRate", outputSampleRate);
        if (outputSampleRate % 50 != 0) {
            // Output is played in 20 ms frames, which need a whole number of samples.
            throw new IllegalArgumentException("output_sample_rate must be a multiple of 50, got " + outputSampleRate);
        }
        this.inputSampleRate = inputSampleRate;
        this.expectedLayout = Objects.requireNonNull(expectedLayout, "expectedLayout");
        this.outputSampleRate = outputSampleRate;
    }

    private static void checkRate(String name, int rate) {
        if (rate < AudioFrame.MIN_SAMPLE_RATE || rate > AudioFrame.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException(name + " must be between " + AudioFrame.MIN_SAMPLE_RATE + " and "
                    + AudioFrame.MAX_SAMPLE_RATE + " Hz; got " + rate);
        }
    }

    /** One input frame of about 20 ms. */
    public abstract void receive(AudioFrame frame) throws Exception;

    /** The next output ({@link AudioFrame}, {@code frame.with(outputs)}, outputs, {@code CloseStream}), or null. */
    public abstract Emit emit() throws Exception;

    /** A fresh instance for a new connection, with the same configuration. */
    public abstract StreamHandler copy();

    /** Runs once when the connection starts, on its own thread (may be long-running). */
    public void startUp() throws Exception {
    }

    /** Runs once when the connection ends. */
    public void shutdown() {
    }

    public final int inputSampleRate() {
        return inputSampleRate;
    }

    public final Layout expectedLayout() {
        return expectedLayout;
    }

    public final int outputSampleRate() {
        return outputSampleRate;
    }

    /** Binds this instance to its connection; called by the transport before any other method. */
    public final void attach(HandlerSession session) {
        if (this.session != null && this.session != session) {
            throw new IllegalStateException("this handler instance already serves a connection; "
                    + "copy() must return a new instance");
        }
        this.session = session;
    }

    /** The connection's services; fails before the handler is attached to a connection. */
    protected final HandlerSession session() {
        HandlerSession s = session;
        if (s == null) {
            throw new IllegalStateException("the handler is not attached to a connection yet");
        }
        return s;
    }

    /** True once attached to a connection. */
    protected final boolean attached() {
        return session != null;
    }

    /** Sends a raw text message to the client. */
    protected final void sendMessage(String text) {
        session().sendMessage(text);
    }

    /** Flushes output not yet played, at once (for barge-in). */
    protected final void clearQueue() {
        session().clearQueue();
    }

    /** Asks the client for its inputs and waits for them (FastRTC's {@code wait_for_args}). */
    protected final Inputs waitForArgs() throws InterruptedException {
        return session().waitForInputs(Duration.ofSeconds(30));
    }

    /** The latest input values (FastRTC's {@code latest_args}, without the media slot). */
    protected final Inputs latestArgs() {
        return session().latestInputs();
    }

    /** True when serving a phone call. */
    public final boolean phoneMode() {
        HandlerSession s = session;
        return s != null && s.phoneMode();
    }

    /** This connection's context. */
    protected final Context context() {
        return session().context();
    }
}
