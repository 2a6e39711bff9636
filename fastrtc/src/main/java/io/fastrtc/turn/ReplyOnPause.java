package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import io.fastrtc.handler.Playout;
import io.fastrtc.internal.CallerRateInput;
import io.fastrtc.internal.OutputSignal;
import io.fastrtc.protocol.Messages;
import io.fastrtc.telemetry.Scope;
import java.time.Duration;
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
 * <p>Two ways to find the end of a turn. By default, {@linkplain Builder#endpointing streaming}: the
 * speech detector judges every frame and the turn ends after {@link Endpointing#silence()} (400 ms)
 * without speech, or when a {@link TurnCompletionModel} says so. With {@link Builder#algoOptions},
 * FastRTC's algorithm ({@code reply_on_pause.py}): input is analysed in chunks of {@link
 * AlgoOptions#audioChunkDurationS()} seconds, a chunk with more than {@code startedTalkingThreshold}
 * seconds of speech starts the turn and a later one with less than {@code speechThreshold} ends it,
 * about a second after the user stopped. Both log {@code started_talking}, {@code pause_detected} and
 * {@code response_starting} (once per reply, where FastRTC repeats it for every audio item).
 *
 * <p>Interruption ({@code canInterrupt}, default): FastRTC cuts a reply only when the interrupting
 * utterance <em>ends</em> (its issues 341 and 417). Here, when streaming, speech over a reply is judged
 * frame by frame by the {@link Interruption} (held at the first sound, cut after 500 ms of speech,
 * resumed after a cough or an "mm-hm"): a cut flushes queued audio, closes the generator (a
 * {@link Reply} producer sees {@code interrupted()} and {@link Reply.Sink#played()}), sends
 * {@code {"type":"log","data":"interrupted"}}, and what the user says becomes the next turn. The
 * chunked mode keeps FastRTC's rule ({@link Builder#earlyInterrupt} says when not).
 *
 * <p>Each turn goes to the connection's {@link io.fastrtc.handler.HandlerSession#telemetry() telemetry}
 * (latency from the end of speech, interruptions); the reply function, its iterator and a {@link
 * Reply#generate} producer run within the turn's scope: with tracing, {@code Span.current()} is the turn.
 */
public class ReplyOnPause extends StreamHandler implements CallerRateInput, OutputSignal {

    /** A subclass with its own receive gets the declared rate; with its own emit, it is asked at every frame. */
    private static final ClassValue<Boolean> OWN_RECEIVE = Overrides.inherits(ReplyOnPause.class, "receive", AudioFrame.class);
    private static final ClassValue<Boolean> OWN_EMIT = Overrides.inherits(ReplyOnPause.class, "emit");

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
    private final StreamingTurn streaming;
    private SpeechGate gate; // this connection's speech decisions; created with the first frame
    /** Set once frames come at the caller's rate: turns are converted to the declared rate as they end. */
    private CallerRateTurns callerRate;
    /** Wakes the output thread: a reply was asked for (see {@link OutputSignal}). */
    private volatile Runnable outputReady = () -> { };

    private TurnState state = newTurn(); // per connection: this is a per-connection copy once attached
    private boolean replyRequested;
    private Iterator<? extends Emit> generator;
    private boolean responding;
    private boolean respondedAudio;
    private boolean held; // a preemptive reply started before the turn ended: produced, not played
    private Emit heldItem; // the first item of a held reply (or NO_MORE if it had none), taken while it was held
    private ReplyPlayout playout = new ReplyPlayout();
    private long request; // counts requests and resets, so a reply started for a request since cancelled is dropped
    private final TurnEvents events;

    private static final Emit NO_MORE = new Emit() { };

    public ReplyOnPause(ReplyFunction fn) {
        this(builder(fn).options);
    }

    public ReplyOnPause(ReplyWithInputs fn) {
        this(builder(fn).options);
    }

    /** For subclasses' {@code copy()}: a new instance with the configuration of {@code prototype}. */
    protected ReplyOnPause(ReplyOnPause prototype) {
        this(prototype.options);
    }

    protected ReplyOnPause(Options options) {
        super(options.inputSampleRate, options.layout, options.outputSampleRate);
        this.options = options;
        this.bargeIn = options.bargesIn() ? new BargeIn(options.interruption) : null;
        this.streaming = options.endpointing == null ? null
                : new StreamingTurn(options.endpointing, options.interruption, options.modelExecutor, lock);
        this.events = new TurnEvents(() -> attached() ? session() : null, options.clock);
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

    /** Streaming, interruptible, own receive: turns are converted as they end ({@link CallerRateTurns}). */
    @Override
    public boolean takesCallerRate(int rate) {
        return streaming != null && options.canInterrupt && rate < inputSampleRate() && OWN_RECEIVE.get(getClass());
    }

    @Override
    public int frameMillis(int rate) { // streaming at the declared rate: a turn may end on any 10 ms
        return streaming != null && OWN_RECEIVE.get(getClass()) && !takesCallerRate(rate) ? 10 : 20;
    }

    @Override
    public boolean receivesInline() { // streaming: receive judges frames; replies run on the output thread
        return streaming != null && OWN_RECEIVE.get(getClass());
    }

    @Override
    public boolean signalsOutput() {
        return OWN_EMIT.get(getClass());
    }

    @Override
    public void onOutput(Runnable wake) {
        outputReady = Objects.requireNonNull(wake, "wake");
    }

    /** Nothing to emit until a reply is asked for: none is, none is being produced, and none is left to be heard. */
    @Override
    public boolean outputIdle() {
        synchronized (lock) {
            return !replyRequested && generator == null && events.playedOut();
        }
    }

    @Override
    public void receive(AudioFrame frame) {
        if (frame.sampleRate() != inputSampleRate() && takesCallerRate(frame.sampleRate())) {
            if (callerRate == null) {
                callerRate = new CallerRateTurns(inputSampleRate());
                streaming.turnAudio(callerRate);
            }
            frame = callerRate.next(frame);
            if (frame == null) {
                return;
            }
        }
        if (gate == null && (streaming != null || bargeIn != null)) {
            gate = new SpeechGate(options.model.streamingDetector());
        }
        if (streaming != null) {
            receiveStreaming(frame);
            return;
        }
        boolean pause;
        synchronized (lock) {
            if (responding && !options.canInterrupt) {
                return; // FastRTC ignores the user while it speaks
            }
            if (bargeIn != null && replyActive()) {
                judgeBargeIn(gate.accept(frame), frame);
            }
            state.buffer = state.buffer == null ? frame : state.buffer.concat(frame);
            boolean talking = state.startedTalking;
            double chunk = state.buffer.durationMillis();
            pause = determinePause(state.buffer, state);
            events.chunk(!talking && state.startedTalking && bargeIn == null, pause, chunk);
            if (pause) {
                endTurn(state.stream);
            }
        }
        if (pause && bargeIn != null) {
            gate.reset();
        }
    }

    private void receiveStreaming(AudioFrame frame) {
        boolean speech = gate.accept(frame);
        synchronized (lock) {
            if (responding && !options.canInterrupt) {
                return;
            }
            if (bargeIn != null && !held && replyActive()) {
                streaming.overReply(frame);
                if (judgeBargeIn(speech, frame) && streaming.interrupted() == Endpointer.Event.STARTED) {
                    sendMessage(Messages.log("started_talking")); // the interrupting speech opens the next turn
                }
                return;
            }
            switch (events.heard(streaming.accept(frame, speech, gate.silentMillis()), streaming)) {
                case STARTED -> sendMessage(Messages.log("started_talking"));
                case RESUMED -> cancelHeld();
                case ENDED -> endTurn(streaming.takeTurn());
                case STOPPED -> {
                    if (options.endpointing.preemptive() && !replyRequested) {
                        state.stream = streaming.stoppedTurn();
                        replyRequested = true;
                        held = true;
                        request++;
                        outputReady.run();
                    }
                }
                default -> { }
            }
        }
    }

    /** The turn is over: play the held reply, or ask for one. */
    private void endTurn(AudioFrame turn) {
        if (held) {
            held = false; // the preemptive reply was for this very turn
            sendMessage(Messages.log("pause_detected"));
            outputReady.run();
            return;
        }
        if (options.canInterrupt) {
            events.cut(replyActive(), this::played); // a reply still playing is cut by the new turn
            // Before the reply is requested: a flush after it could drop the new reply's first audio.
            clearQueue();
        }
        state.stream = turn;
        replyRequested = true;
        request++;
        outputReady.run();
        if (options.canInterrupt && generator != null && responding) {
            closeGenerator();
        }
    }

    /** The user went on: the preemptive reply is dropped unheard. */
    private void cancelHeld() {
        if (held) {
            closeGenerator();
            reset();
        }
    }

    /** Acts on what the frame heard over a reply means; true if it interrupted the reply. */
    private boolean judgeBargeIn(boolean speech, AudioFrame frame) {
        switch (events.overReply(bargeIn, speech, frame.durationMillis())) {
            case PAUSE -> session().pauseOutput(true);
            case RESUME -> session().pauseOutput(false);
            case INTERRUPT -> {
                interrupt();
                session().pauseOutput(false);
                return true;
            }
            default -> { }
        }
        return false;
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
        events.cut(true, this::played);
        sendMessage(Messages.log("interrupted"));
        onInterrupted();
    }

    /**
     * Called right after the user talked over a reply and it was cut (output flushed, generator
     * closed), on the input thread. Override to react, e.g. to stop an upstream model;
     * {@link #played()} tells how much of the reply the user heard.
     */
    protected void onInterrupted() {
    }

    /** The audio of the current (or last) reply the caller has heard so far, to within one 10 ms frame. */
    protected Duration played() {
        return Duration.ofNanos(playout.playedNanos());
    }

    private void closeGenerator() {
        Iterator<? extends Emit> g = generator;
        generator = null;
        heldItem = null;
        Reply.closeQuietly(g);
    }

    /**
     * FastRTC's pause rule, the override point for custom turn-taking in the chunked mode
     * ({@link Builder#algoOptions}): called with the audio buffered since the last analysed chunk;
     * returns true when the user's turn has ended.
     */
    protected boolean determinePause(AudioFrame audio, TurnState turn) {
        return ChunkedPause.determine(options.algo, options.model, audio, turn,
                () -> sendMessage(Messages.log("started_talking")));
    }

    @Override
    public Emit emit() throws Exception {
        Iterator<? extends Emit> current;
        synchronized (lock) {
            if (!replyRequested) {
                events.playedOut(attached() && session().outputPending());
                return null;
            }
            current = generator;
            if (current != null && heldItem != null) {
                if (held) {
                    return null; // produced, waiting for the end of the turn
                }
                Emit early = heldItem;
                heldItem = null;
                return deliver(early == NO_MORE ? null : early);
            }
        }
        if (current == null) {
            current = startReply();
            if (current == null) {
                return null;
            }
        }
        Emit item;
        try (Scope turn = events.enter()) {
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
            if (held) {
                heldItem = item == null ? NO_MORE : item;
                return null;
            }
            return deliver(item);
        }
    }

    /** Hands the reply's next item (null: the reply is over) to the stream, under the lock. */
    private Emit deliver(Emit item) {
        if (item == null) {
            if (!respondedAudio) {
                sendMessage(Messages.log("response_starting"));
            }
            events.produced();
            reset();
            return null;
        }
        if (Reply.hasAudio(item) && !respondedAudio) {
            respondedAudio = true;
            events.audioSent();
            sendMessage(Messages.log("response_starting"));
        }
        playout.emitted(item, this);
        return item;
    }

    /** Where this connection's output stands (for {@link ReplyPlayout}). */
    Playout sessionPlayout() {
        return attached() ? session().playout() : Playout.NONE;
    }

    private Iterator<? extends Emit> startReply() throws Exception {
        AudioFrame audio;
        boolean preemptive;
        long mine;
        synchronized (lock) {
            mine = request;
            audio = state.stream != null ? state.stream
                    : AudioFrame.ofPcm16(inputSampleRate(), expectedLayout().channels(), new short[0]);
            state = newTurn();
            preemptive = held;
        }
        if (!preemptive) {
            sendMessage(Messages.log("pause_detected"));
        }
        Inputs inputs = options.needsArgs && !phoneMode() ? waitForArgs() : latestArgs();
        Iterator<? extends Emit> reply;
        try (Scope turn = events.begin()) {
            reply = options.fn.reply(audio, inputs);
        } catch (Exception e) {
            synchronized (lock) {
                reset();
            }
            throw e;
        }
        return begin(reply, mine) ? reply : events.dropped();
    }

    /** Makes {@code reply} the current one, unless its request ({@code mine}) was cancelled meanwhile. */
    private boolean begin(Iterator<? extends Emit> reply, long mine) {
        synchronized (lock) {
            if (!replyRequested || request != mine) {
                if (reply instanceof AutoCloseable) {
                    generator = reply;
                    closeGenerator(); // interrupted before the reply began
                }
                return false;
            }
            generator = reply;
            responding = true;
            respondedAudio = false;
            playout = new ReplyPlayout();
            if (reply instanceof Reply r) {
                r.reportHeard(playout::playedNanos);
            }
            if (bargeIn != null) {
                if (bargeIn.holding()) {
                    session().pauseOutput(false);
                }
                bargeIn.reset();
            }
            return true;
        }
    }

    /** Ends the current reply (if any) and its turn, unless it was all produced and still plays; listens for a new turn. */
    protected void reset() {
        events.replyOver();
        generator = null;
        responding = false;
        respondedAudio = false;
        replyRequested = false;
        held = false;
        heldItem = null;
        request++;
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
        long mine;
        synchronized (lock) {
            replyRequested = true;
            mine = ++request;
        }
        begin(greeting, mine);
        outputReady.run();
    }

    /** Replies now with whatever was said so far (FastRTC's {@code trigger_response}, e.g. for a "send" button). */
    public void triggerResponse() {
        synchronized (lock) {
            if (!replyRequested) {
                request++;
            }
            held = false; // a preemptive reply is for what was said so far: play it
            replyRequested = true;
            events.turnEnded();
        }
        outputReady.run();
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            closeGenerator();
            reset();
            events.end();
        }
        if (gate != null) {
            gate.close();
        }
    }

    /** Settings shared by every copy. */
    protected static final class Options extends TurnSettings {
        Options(ReplyWithInputs fn, boolean needsArgs) {
            super(fn, needsArgs);
        }
    }

    /** Configures a {@link ReplyOnPause}. */
    public static final class Builder extends StreamingTurnBuilder<Builder> {

        Builder(ReplyWithInputs fn, boolean needsArgs) {
            super(new Options(fn, needsArgs));
        }

        @Override
        Builder self() {
            return this;
        }

        public ReplyOnPause build() {
            return new ReplyOnPause(options.<Options>copy());
        }
    }
}
