package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import io.fastrtc.protocol.Messages;
import java.util.Iterator;
import java.util.Objects;

/**
 * Turn-taking for voice apps (FastRTC's {@code ReplyOnPause}): waits until the user has spoken and
 * paused, then calls the reply function with what they said and plays what it returns.
 *
 * <pre>{@code
 * Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(audio))).build();   // an echo
 * }</pre>
 *
 * <p>The algorithm and its defaults are FastRTC's ({@code ReplyOnPause} in its {@code reply_on_pause.py}): input is analysed in chunks of
 * {@link AlgoOptions#audioChunkDurationS()} seconds; a chunk with more than
 * {@code startedTalkingThreshold} seconds of speech starts the turn ({@code started_talking} is
 * logged to the client), a later chunk with less than {@code speechThreshold} ends it
 * ({@code pause_detected}); the reply starts ({@code response_starting}, sent once per reply where
 * FastRTC repeats it for every audio item).
 *
 * <p>Interruption, where we do better than FastRTC: with {@code canInterrupt} (default), FastRTC
 * only cuts a reply when the interrupting utterance <em>ends</em> (its issues 341 and 417). Here a
 * streaming speech detector watches the input while a reply is playing, and as soon as the user
 * starts talking the reply is cut: queued audio is flushed at once, the reply generator is closed
 * (a {@link Reply} producer sees {@code interrupted()}), {@code {"type":"log","data":"interrupted"}}
 * is sent, and what the user says becomes the next turn. {@code earlyInterrupt(false)} restores
 * FastRTC's behaviour.
 */
public class ReplyOnPause extends StreamHandler {

    /** The reply to one turn: audio of what the user said in, reply items out (like a Python generator). */
    @FunctionalInterface
    public interface ReplyFunction {
        Iterator<? extends Emit> reply(AudioFrame audio) throws Exception;
    }

    /** A reply function that also takes the connection's additional inputs (asked for at every turn). */
    @FunctionalInterface
    public interface ReplyWithInputs {
        Iterator<? extends Emit> reply(AudioFrame audio, Inputs inputs) throws Exception;
    }

    /** Produces a greeting when a connection starts. */
    @FunctionalInterface
    public interface StartupFunction {
        Iterator<? extends Emit> greet(Inputs inputs) throws Exception;
    }

    private final Options options;
    private final Object lock = new Object();
    private final BargeIn bargeIn;

    // Per-connection state (this instance is a per-connection copy once attached).
    private TurnState state = newTurn();
    private boolean replyRequested;
    private Iterator<? extends Emit> generator;
    private boolean responding;
    private boolean respondedAudio;

    public ReplyOnPause(ReplyFunction fn) {
        this(builder(fn).options);
    }

    public ReplyOnPause(ReplyWithInputs fn) {
        this(builder(fn).options);
    }

    /** For subclasses: a new instance with the configuration of {@code prototype} (use it in {@code copy()}). */
    protected ReplyOnPause(ReplyOnPause prototype) {
        this(prototype.options);
    }

    protected ReplyOnPause(Options options) {
        super(options.inputSampleRate, options.layout, options.outputSampleRate);
        this.options = options;
        this.bargeIn = options.canInterrupt && options.earlyInterrupt
                ? new BargeIn(options.model.streamingDetector()) : null;
    }

    public static Builder builder(ReplyFunction fn) {
        Objects.requireNonNull(fn, "fn");
        return new Builder((audio, inputs) -> fn.reply(audio), false);
    }

    public static Builder builder(ReplyWithInputs fn) {
        return new Builder(Objects.requireNonNull(fn, "fn"), true);
    }

    @Override
    public ReplyOnPause copy() {
        return new ReplyOnPause(options);
    }

    /** The audio accumulated for the current turn, and whether the user has started talking. */
    protected static class TurnState {
        AudioFrame buffer;
        AudioFrame stream;
        boolean startedTalking;

        /** Everything said since the turn started (empty before). */
        public AudioFrame stream() {
            return stream;
        }

        public boolean startedTalking() {
            return startedTalking;
        }
    }

    @Override
    public void receive(AudioFrame frame) {
        boolean pause;
        synchronized (lock) {
            if (responding && !options.canInterrupt) {
                return; // FastRTC ignores the user while it speaks
            }
            if (bargeIn != null && replyActive() && bargeIn.speechStarted(frame)) {
                interrupt();
            }
            state.buffer = state.buffer == null ? frame : state.buffer.concat(frame);
            pause = determinePause(state.buffer, state);
            if (pause) {
                if (options.canInterrupt) {
                    // Before the reply is requested: a flush after it could drop the new reply's first audio.
                    clearQueue();
                }
                replyRequested = true;
                if (options.canInterrupt && generator != null && responding) {
                    closeGenerator();
                }
            }
        }
        if (pause && bargeIn != null) {
            bargeIn.reset();
        }
    }

    /** True while a reply is being generated or is still playing. */
    private boolean replyActive() {
        return responding || generator != null || (attached() && session().outputPending());
    }

    private void interrupt() {
        closeGenerator();
        responding = false;
        replyRequested = false;
        clearQueue();
        sendMessage(Messages.log("interrupted"));
        onInterrupted();
    }

    /**
     * Called right after the user talked over a reply and it was cut (output flushed, generator
     * closed), on the input thread. Override to react, e.g. to stop an upstream model.
     */
    protected void onInterrupted() {
    }

    private void closeGenerator() {
        Iterator<? extends Emit> g = generator;
        generator = null;
        if (g instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // a reply that fails to close is abandoned all the same
            }
        }
    }

    /**
     * FastRTC's pause rule, the override point for custom turn-taking: called with the audio
     * buffered since the last analysed chunk; returns true when the user's turn has ended.
     */
    protected boolean determinePause(AudioFrame audio, TurnState turn) {
        AlgoOptions algo = options.algo;
        double duration = audio.durationMillis() / 1000.0;
        if (duration < algo.audioChunkDurationS()) {
            return false;
        }
        double speech = options.model.vad(audio).speechSeconds();
        if (speech > algo.startedTalkingThreshold() && !turn.startedTalking) {
            turn.startedTalking = true;
            sendMessage(Messages.log("started_talking"));
        }
        turn.buffer = null;
        if (turn.startedTalking) {
            turn.stream = turn.stream == null ? audio : turn.stream.concat(audio);
            if (turn.stream.durationMillis() / 1000.0 >= algo.maxContinuousSpeechS()) {
                return true; // buffer already cleared (FastRTC forgets to clear it)
            }
        }
        return speech < algo.speechThreshold() && turn.startedTalking;
    }

    @Override
    public Emit emit() throws Exception {
        Iterator<? extends Emit> current;
        synchronized (lock) {
            if (!replyRequested) {
                return null;
            }
            current = generator;
        }
        if (current == null) {
            current = startReply();
            if (current == null) {
                return null;
            }
        }
        Emit item;
        try {
            item = current.hasNext() ? current.next() : null;
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (generator == current) {
                    reset();
                }
            }
            throw e;
        }
        synchronized (lock) {
            if (generator != current) {
                return null; // interrupted while producing: drop the item
            }
            if (item == null) {
                if (!respondedAudio) {
                    sendMessage(Messages.log("response_starting"));
                }
                reset();
                return null;
            }
            if (hasAudio(item) && !respondedAudio) {
                respondedAudio = true;
                sendMessage(Messages.log("response_starting"));
            }
            return item;
        }
    }

    private Iterator<? extends Emit> startReply() throws Exception {
        AudioFrame audio;
        synchronized (lock) {
            audio = state.stream != null ? state.stream
                    : AudioFrame.ofPcm16(inputSampleRate(), expectedLayout().channels(), new short[0]);
            state = newTurn();
        }
        sendMessage(Messages.log("pause_detected"));
        Inputs inputs = options.needsArgs && !phoneMode() ? waitForArgs() : latestArgs();
        Iterator<? extends Emit> reply;
        try {
            reply = options.fn.reply(audio, inputs);
        } catch (Exception e) {
            synchronized (lock) {
                reset();
            }
            throw e;
        }
        synchronized (lock) {
            if (!replyRequested) {
                return null; // interrupted before the reply began
            }
            generator = reply;
            responding = true;
            respondedAudio = false;
        }
        return reply;
    }

    private static boolean hasAudio(Emit item) {
        return item instanceof AudioFrame || (item instanceof Emit.WithOutputs w && w.media() instanceof AudioFrame);
    }

    /** Ends the current reply (if any) and starts listening for a new turn. */
    protected void reset() {
        generator = null;
        responding = false;
        respondedAudio = false;
        replyRequested = false;
        state = newTurn();
    }

    /**
     * State for a new turn; subclasses with more per-turn state return a subclass of {@link TurnState}.
     * Also called by the constructor, so it must not use the subclass's fields.
     */
    protected TurnState newTurn() {
        return new TurnState();
    }

    @Override
    public void startUp() throws Exception {
        if (options.startup == null) {
            return;
        }
        Inputs inputs = options.needsArgs && !phoneMode() ? waitForArgs() : latestArgs();
        Iterator<? extends Emit> greeting = options.startup.greet(inputs);
        synchronized (lock) {
            generator = greeting;
            responding = true;
            respondedAudio = false;
            replyRequested = true;
        }
    }

    /** Replies now with whatever was said so far (FastRTC's {@code trigger_response}, e.g. for a "send" button). */
    public void triggerResponse() {
        synchronized (lock) {
            replyRequested = true;
        }
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            closeGenerator();
            reset();
        }
        if (bargeIn != null) {
            bargeIn.close();
        }
    }

    /** Settings shared by every copy. */
    protected static final class Options {
        final ReplyWithInputs fn;
        final boolean needsArgs;
        StartupFunction startup;
        AlgoOptions algo = AlgoOptions.DEFAULT;
        PauseDetectionModel model;
        boolean canInterrupt = true;
        boolean earlyInterrupt = true;
        int inputSampleRate = 48000;
        int outputSampleRate = 24000;
        Layout layout = Layout.MONO;

        Options(ReplyWithInputs fn, boolean needsArgs) {
            this.fn = fn;
            this.needsArgs = needsArgs;
        }

        Options copy() {
            Options o = new Options(fn, needsArgs);
            o.startup = startup;
            o.algo = algo;
            o.model = model;
            o.canInterrupt = canInterrupt;
            o.earlyInterrupt = earlyInterrupt;
            o.inputSampleRate = inputSampleRate;
            o.outputSampleRate = outputSampleRate;
            o.layout = layout;
            return o;
        }
    }

    /** Configures a {@link ReplyOnPause}. */
    public static final class Builder extends TurnBuilder<Builder> {

        Builder(ReplyWithInputs fn, boolean needsArgs) {
            super(new Options(fn, needsArgs));
        }

        @Override
        Builder self() {
            return this;
        }

        /** Cut a reply as soon as the user starts talking (default) or, as FastRTC, when they pause. */
        public Builder earlyInterrupt(boolean early) {
            options.earlyInterrupt = early;
            return this;
        }

        public ReplyOnPause build() {
            return new ReplyOnPause(options.copy());
        }
    }
}
