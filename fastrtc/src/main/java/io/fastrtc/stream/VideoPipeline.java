package io.fastrtc.stream;

import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.engine.VideoOutput;
import io.fastrtc.handler.Emit;
import io.fastrtc.handler.Inputs;
import io.fastrtc.internal.Pacer;
import io.fastrtc.protocol.Messages;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.video.VideoFrame;
import io.fastrtc.video.VideoHandler;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Video streams: a {@link VideoHandler} per incoming frame, or a generator paced at the stream's fps.
 * The handler gets the newest frame, never one older than the stream's maximum frame age, and a
 * connection that stays behind the frame rate (a slow handler, a machine short of CPU), or whose
 * encoder libwebrtc finds overused, has its output sent at lower resolution
 * ({@link ResolutionGovernor}) until it keeps up again.
 */
final class VideoPipeline extends Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(VideoPipeline.class);
    /** How often libwebrtc's stats are asked whether the encoder is overused. */
    private static final long ENCODER_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final VideoHandler handler;
    private final ResolutionGovernor governor = new ResolutionGovernor();
    private volatile VideoOutput output;
    private volatile VideoInput input;
    private volatile PeerSession peer;
    private volatile boolean encoderOverused;
    /** Handler thread only. */
    private long nextEncoderCheck;
    private volatile boolean started;

    VideoPipeline(Session connection) {
        super(connection);
        this.handler = stream.sessions().videoHandler() == null ? null : stream.sessions().videoHandler().copy();
    }

    @Override
    void addOutputs(PeerSession session) {
        if (stream.mode() != Mode.SEND) {
            output = session.addVideoOutput("video-" + connection.webrtcId(), videoStreamId());
            peer = session;
        }
    }

    @Override
    void onVideoTrack(VideoInput input) {
        if (stream.mode() != Mode.RECEIVE && !started) {
            started = true;
            this.input = input;
            connection.startPlatformWorker("video handler", () -> runHandler(input));
        }
    }

    @Override
    void onConnected() {
        if (stream.mode() == Mode.RECEIVE) {
            connection.startPlatformWorker("video generator", this::runGenerator);
        }
    }

    private void runHandler(VideoInput input) {
        long maxAge = stream.sessions().maxFrameAge().toNanos();
        nextEncoderCheck = System.nanoTime();
        long skipped = 0;
        try {
            while (!connection.isClosed()) {
                VideoFrame frame = input.take(250, TimeUnit.MILLISECONDS, maxAge);
                if (frame != null) {
                    Inputs current = connection.inputs();
                    send(connection.timed(SessionTelemetry.Call.VIDEO_FRAME, () -> handler.handle(frame, current)));
                    skipped = connection.reportSkipped(input, skipped);
                    long now = System.nanoTime();
                    checkEncoder(now);
                    adapt(governor.onFrame(input.received(), input.dropped() + input.stale(), encoderOverused, now));
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** Asks libwebrtc, at most every {@link #ENCODER_CHECK_NANOS}, whether it finds the encoder overused. */
    private void checkEncoder(long now) {
        PeerSession session = peer;
        if (session == null || now - nextEncoderCheck < 0) {
            return;
        }
        nextEncoderCheck = now + ENCODER_CHECK_NANOS;
        try {
            // Completed on libwebrtc's signaling thread: only record the answer there.
            session.videoQualityLimitation().thenAccept(reason -> encoderOverused = "cpu".equals(reason));
        } catch (RuntimeException e) {
            // closing
        }
    }

    /** Sends at {@code scale} from now on; a change the encoder refuses (not negotiated yet) is retried next frame. */
    private void adapt(double scale) {
        VideoOutput out = output;
        if (out != null && out.scale() != scale && out.scaleResolutionDownBy(scale)) {
            LOG.debug("{}: sending at 1/{} resolution (encoder overused: {})", connection.webrtcId(), scale,
                    encoderOverused);
        }
    }

    @Override
    VideoInput videoInput() {
        return input;
    }

    @Override
    double sendScale() {
        VideoOutput out = output;
        return out == null ? 1 : out.scale();
    }

    /** Pulls the stream's generator at its fps. */
    private void runGenerator() {
        Iterator<? extends Emit> items = connection.call(true,
                () -> stream.sessions().videoGenerator().generate(connection.inputs()));
        if (items == null) {
            return;
        }
        Pacer pacer = Pacer.perSecond(stream.sessions().fps());
        try {
            while (!connection.isClosed()) {
                // Exhausted, or it threw (already reported): the stream is over either way,
                // as a Python generator is after raising.
                Session.Outcome<Boolean> more = connection.attempt(true, items::hasNext);
                Session.Outcome<? extends Emit> item = more.failed() || !more.value()
                        ? null : connection.attempt(true, items::next);
                if (item == null || item.failed()) {
                    finish(() -> {
                        connection.sendMessage(Messages.endStream(""));
                        connection.close(Session.End.HANDLER, "generator finished");
                    });
                    return;
                }
                send(item.value());
                pacer.await();
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void send(Emit emit) {
        Emit media = emit == null ? null : connection.unwrap(emit);
        if (media == null || connection.isClosed()) {
            return;
        }
        if (media instanceof VideoFrame frame) {
            VideoOutput out = output;
            if (out != null) {
                out.push(frame);
            }
        } else {
            connection.reportFault("video handler returned " + media.getClass().getSimpleName()
                    + "; return a VideoFrame, AdditionalOutputs, CloseStream or null", null);
        }
    }

    @Override
    void shutdown() {
        if (handler != null) {
            quietly(handler::shutdown);
        }
    }
}
