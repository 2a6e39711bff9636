package io.fastrtc.stream;

import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.VideoInput;

/**
 * The media half of a connection: which tracks it sends, and how incoming media reaches the
 * handler and the handler's output reaches the network. One subclass per kind of handler.
 */
abstract class Pipeline {

    final Session connection;
    final Stream stream;

    Pipeline(Session connection) {
        this.connection = connection;
        this.stream = connection.stream();
    }

    static Pipeline create(Stream stream, Session connection) {
        return switch (stream.modality()) {
            case VIDEO -> new VideoPipeline(connection);
            case AUDIO, AUDIO_VIDEO -> new AudioPipeline(connection);
        };
    }

    /** Adds the outgoing tracks, after the offer is applied so its transceivers are reused. */
    abstract void addOutputs(PeerSession session);

    void onVideoTrack(VideoInput input) {
    }

    void onAudioTrack(AudioInput input) {
    }

    /** The peer connection is up. */
    void onConnected() {
    }

    /** Drops output that has not been played yet. */
    void clearQueue() {
    }

    /** Milliseconds of output queued and not yet played. */
    int queuedMillis() {
        return 0;
    }

    /** Written and heard positions of the audio output. */
    io.fastrtc.handler.Playout playout() {
        return io.fastrtc.handler.Playout.NONE;
    }

    /** Holds or resumes the audio output. */
    void pauseOutput(boolean paused) {
    }

    /** Runs {@code then} once the output already queued has been played (for {@code CloseStream}). */
    void finish(Runnable then) {
        then.run();
    }

    /** The stateful handler serving this session, if the stream has one. */
    io.fastrtc.audio.StreamHandler handler() {
        return null;
    }

    /** The incoming video handed to the handler, for {@link Stream#stats()}; null without one. */
    VideoInput videoInput() {
        return null;
    }

    /** The factor the outgoing video's width and height are divided by (1 at full size). */
    double sendScale() {
        return 1;
    }

    /** The connection has ended: release the handler. */
    abstract void shutdown();

    /** Runs a handler's shutdown hook; its failure is logged, not propagated. */
    void quietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(Pipeline.class).warn("{}: handler shutdown failed",
                    connection.webrtcId(), e);
        }
    }

    /** Own stream ids per track: a shared id makes the receiver's lip-sync add ever-growing video delay. */
    String videoStreamId() {
        return "v-" + connection.webrtcId();
    }

    String audioStreamId() {
        return "a-" + connection.webrtcId();
    }
}
