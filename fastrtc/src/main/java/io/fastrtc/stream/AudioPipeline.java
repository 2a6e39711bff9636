package io.fastrtc.stream;

import io.fastrtc.audio.AsyncStreamHandler;
import io.fastrtc.audio.AudioChunker;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.AudioVideoStreamHandler;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.AudioOutput;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.engine.VideoOutput;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Playout;
import io.fastrtc.internal.CallerRateInput;
import io.fastrtc.internal.OutputSignal;
import io.fastrtc.internal.Pacer;
import io.fastrtc.protocol.Messages;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.video.VideoFrame;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Audio and audio-video streams, for every transport. Per session: an input thread resamples the
 * incoming frames (a WebRTC track's 10 ms frames, a socket's µ-law chunks of any length) to the
 * handler's rate (or keeps the caller's, for a {@link CallerRateInput} handler that takes it) and
 * layout and calls {@code receive} with 20 ms frames (10 ms for a {@link CallerRateInput} handler that
 * asks, at a rate that has whole 10 ms; a phone call's streaming ReplyOnPause is handed them on the
 * socket's own thread instead, see {@link #inlineInput}); a pump thread calls {@code emit} (or pulls
 * the receive-mode generator) into the {@link Playback} queue, asking an idle handler again after
 * each frame it received (an {@link OutputSignal} handler: when it says it has output); a pacer
 * plays the queue in real time to the session's {@link AudioSink} (one thread for every WebRTC
 * track, {@link PlayoutClock}; a thread of its own for a socket), and sleeps while there is
 * nothing to play. Audio-video handlers add a video
 * input thread and a video output thread polled at the handler's fps.
 */
final class AudioPipeline extends Pipeline {

    /** Receive-mode generators play at FastRTC's 48 kHz. */
    private static final int GENERATOR_RATE = 48000;
    /**
     * How long an idle pump waits before asking the handler again, unless the input thread wakes it
     * first: it does after every frame it hands the handler, where most replies start (a turn ends in
     * {@code receive}). FastRTC spins instead; polling every 10 ms cost a busy server more CPU than
     * its voice sessions' audio (a thread wake-up per session 100 times a second).
     */
    static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    /**
     * How long the pump of an {@link OutputSignal} handler sleeps while it has nothing to give: it
     * is woken when a reply is asked for, so this only bounds the cost of a missed signal.
     */
    static final long SIGNALLED_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Incoming audio frames of any length, one at a time. */
    interface FrameSource {
        /** The next frame, or null after {@code timeout}. */
        AudioFrame take(long timeout, TimeUnit unit) throws InterruptedException;
    }

    private final StreamHandler handler;
    private final Playback playback;
    private volatile AudioSink sink;
    private volatile VideoOutput videoOutput;
    private volatile VideoInput videoInput;
    private volatile boolean audioStarted;
    private volatile boolean videoStarted;
    /** The thread running {@link #runPump}, unparked when the handler was given input. */
    private volatile Thread pump;
    /** The handler says when it has output (instead of being asked after every input frame). */
    private final OutputSignal signal;
    /** The input in the handler's frames; used by one thread at a time (the input thread, or the transport's). */
    private AudioChunker frames;

    AudioPipeline(Session connection) {
        this(connection, 0);
    }

    /** @param outputRate the rate audio is sent at; 0 for the handler's output rate */
    AudioPipeline(Session connection, int outputRate) {
        super(connection);
        handler = stream.sessions().audioHandler() == null ? null : stream.sessions().audioHandler().copy();
        if (handler != null) {
            handler.attach(connection);
        }
        signal = handler instanceof OutputSignal s && s.signalsOutput() ? s : null;
        if (signal != null) {
            signal.onOutput(this::wakePump);
        }
        playback = new Playback(outputRate > 0 ? outputRate
                : handler == null ? GENERATOR_RATE : handler.outputSampleRate());
    }

    @Override
    void addOutputs(PeerSession session) {
        if (stream.mode() == Mode.SEND) {
            return;
        }
        AudioOutput track = session.addAudioOutput("audio-" + connection.webrtcId(), audioStreamId());
        sink = new AudioSink() {
            @Override
            public void push(AudioFrame frame) {
                track.push(frame);
            }

            /**
             * For as long as the connection lasts, as FastRTC's track does. Without it the client's decoder
             * conceals the missing packets by stretching the last sound, so a cut reply fades out instead
             * of stopping; and a track that goes quiet and comes back (a short reply after another, a reply
             * after an interruption) looks to the client's jitter buffer like packets that late, so it
             * buffers that much more from then on (scripts/bench-voice, JitterProbe).
             */
            @Override
            public boolean carriesSilence() {
                return true;
            }

            @Override
            public boolean neverBlocks() {
                return true;
            }
        };
        if (handler instanceof AudioVideoStreamHandler) {
            videoOutput = session.addVideoOutput("video-" + connection.webrtcId(), videoStreamId());
        }
    }

    /** The rate output audio is sent at. */
    int playbackRate() {
        return playback.sampleRate();
    }

    /** Plays the output to {@code out}; for transports without a peer connection, before {@link #onConnected()}. */
    void setSink(AudioSink out) {
        if (stream.mode() != Mode.SEND) {
            sink = out;
        }
    }

    @Override
    void onAudioTrack(AudioInput input) {
        startInput(input::take);
    }

    /** Starts handing the source's audio to the handler (once; not in receive mode). */
    void startInput(FrameSource source) {
        if (handler != null && stream.mode() != Mode.RECEIVE && !audioStarted) {
            audioStarted = true;
            connection.startWorker("audio input", () -> runInput(source));
        }
    }

    @Override
    void onVideoTrack(VideoInput input) {
        if (handler instanceof AudioVideoStreamHandler av && !videoStarted) {
            videoStarted = true;
            videoInput = input;
            connection.startPlatformWorker("video input", () -> runVideoInput(av, input));
        }
    }

    @Override
    void onConnected() {
        if (stream.mode() == Mode.RECEIVE) {
            connection.startWorker("audio generator", this::runGenerator);
        } else {
            connection.startWorker("start-up", () -> connection.call(false, () -> {
                handler.startUp();
                return null;
            }));
            connection.startWorker("audio output", this::runPump);
            if (handler instanceof AudioVideoStreamHandler av && videoOutput != null) {
                connection.startPlatformWorker("video output", () -> runVideoOutput(av));
            }
        }
        AudioSink out = sink;
        if (out != null && out.neverBlocks()) {
            PlayoutClock.SHARED.add(playback, out, connection::isClosed);
        } else if (out != null) {
            // A platform thread: the real-time pacer must not wait for a carrier that busy handlers hold.
            connection.startPlatformWorker("audio playout", () -> playback.play(out, connection::isClosed));
        }
    }

    private void runInput(FrameSource input) {
        try {
            while (!connection.isClosed()) {
                AudioFrame frame = input.take(250, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    hand(frame);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /**
     * True if the transport's own thread hands the handler each frame ({@link #receiveInline}) instead
     * of a session input thread: for a handler whose {@code receive} only judges frames and never blocks
     * ({@link CallerRateInput#receivesInline}). A phone call's 20 ms frames otherwise wake a thread of
     * their own 50 times a second, and at a few hundred calls those hand-offs were a fifth of the
     * server's CPU (the kernel's context switches).
     */
    boolean inlineInput() {
        return handler instanceof CallerRateInput h && h.receivesInline() && stream.mode() != Mode.RECEIVE;
    }

    /** One incoming frame, handed to the handler on the caller's thread (see {@link #inlineInput}). */
    void receiveInline(AudioFrame frame) {
        Context.ContextHolder.set(connection);
        try {
            hand(frame);
        } finally {
            Context.ContextHolder.set(null);
        }
    }

    /** Hands the handler one incoming frame of any length, in its frames; one thread at a time. */
    private void hand(AudioFrame frame) {
        if (frames == null) {
            int rate = inputRate(frame.sampleRate());
            int millis = handler instanceof CallerRateInput h && rate % 100 == 0 ? h.frameMillis(frame.sampleRate()) : 20;
            frames = new AudioChunker(rate, handler.expectedLayout().channels(), millis);
        }
        List<AudioFrame> chunks = frames.push(frame);
        for (AudioFrame chunk : chunks) {
            connection.timed(SessionTelemetry.Call.AUDIO_CHUNK, () -> {
                handler.receive(chunk);
                return null;
            });
        }
        if (signal == null && !chunks.isEmpty()) {
            wakePump();
        }
    }

    /** The rate the handler is given frames at: the caller's own if it takes that (one conversion less). */
    private int inputRate(int callerRate) {
        return handler instanceof CallerRateInput h && h.takesCallerRate(callerRate)
                ? callerRate : handler.inputSampleRate();
    }

    private void runPump() {
        pump = Thread.currentThread();
        try {
            while (!connection.isClosed()) {
                // An async handler's emit waits up to 60 s for its stage by design: "no output yet", not a hang.
                Emit emit = connection.call(!(handler instanceof AsyncStreamHandler), handler::emit);
                if (emit == null) {
                    playback.flush();
                    LockSupport.parkNanos(this, signal != null && signal.outputIdle() ? SIGNALLED_WAIT_NANOS
                            : IDLE_WAIT_NANOS);
                    if (Thread.interrupted()) {
                        return; // closing
                    }
                    continue;
                }
                play(emit);
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void wakePump() {
        Thread waiting = pump;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    private void runGenerator() {
        Iterator<? extends Emit> items = connection.call(true,
                () -> stream.sessions().audioGenerator().generate(connection.inputs()));
        try {
            while (items != null && !connection.isClosed()) {
                // A generator that throws is over, as a Python generator is.
                Session.Outcome<Boolean> more = connection.attempt(true, items::hasNext);
                if (more.failed() || !more.value()) {
                    break;
                }
                Session.Outcome<Emit> item = connection.attempt(true, items::next);
                if (item.failed()) {
                    break;
                }
                play(item.value());
            }
            playback.flush();
        } catch (InterruptedException e) {
            return;
        }
        finish(() -> {
            connection.sendMessage(Messages.endStream(""));
            connection.close(Session.End.HANDLER, "generator finished");
        });
    }

    private void play(Emit emit) throws InterruptedException {
        Emit media = emit == null ? null : connection.unwrap(emit);
        if (media instanceof AudioFrame audio) {
            if (sink != null && !audio.isEmpty()) {
                playback.enqueue(audio);
            }
        } else if (media != null) {
            connection.reportFault("audio handler returned " + media.getClass().getSimpleName()
                    + "; return an AudioFrame, AdditionalOutputs, CloseStream or null", null);
        }
    }

    private void runVideoInput(AudioVideoStreamHandler av, VideoInput input) {
        long maxAge = stream.sessions().maxFrameAge().toNanos();
        long skipped = 0;
        try {
            while (!connection.isClosed()) {
                VideoFrame frame = input.take(250, TimeUnit.MILLISECONDS, maxAge);
                if (frame != null) {
                    connection.timed(SessionTelemetry.Call.VIDEO_FRAME, () -> {
                        av.videoReceive(frame);
                        return null;
                    });
                    skipped = connection.reportSkipped(input, skipped);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void runVideoOutput(AudioVideoStreamHandler av) {
        Pacer pacer = Pacer.perSecond(Math.min(120, av.fps()));
        try {
            while (!connection.isClosed()) {
                Emit media = connection.unwrap(connection.call(true, av::videoEmit));
                if (media instanceof VideoFrame frame) {
                    videoOutput.push(frame);
                } else if (media != null) {
                    connection.reportFault("videoEmit returned " + media.getClass().getSimpleName()
                            + "; return a VideoFrame, AdditionalOutputs, CloseStream or null", null);
                }
                pacer.await();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    @Override
    StreamHandler handler() {
        return handler;
    }

    @Override
    VideoInput videoInput() {
        return videoInput;
    }

    @Override
    void clearQueue() {
        playback.clear();
    }

    @Override
    void finish(Runnable then) {
        try {
            playback.flush(); // the resampler's look-ahead and a partial last frame are part of the audio
            playback.awaitDrained(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        then.run();
    }

    @Override
    int queuedMillis() {
        return playback.queuedMillis();
    }

    @Override
    Playout playout() {
        return playback.playout();
    }

    @Override
    void pauseOutput(boolean paused) {
        playback.pause(paused);
    }

    @Override
    void shutdown() {
        if (handler != null) {
            quietly(handler::shutdown);
        }
    }
}
