package io.fastrtc.stream;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.MuLaw;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telephone.PhoneCall;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket or phone client of a {@link Stream}, admitted by its {@code start} event: µ-law audio
 * in, the same {@link AudioPipeline} as WebRTC, paced µ-law audio out through a
 * {@link SocketAudioSink}. Limits, time limit, cleanup and the handler's shutdown hook are the
 * {@link Session}'s, as for WebRTC (FastRTC skips them for sockets).
 */
final class SocketConnection extends Session {

    /** Chunks held for a slow handler (10 s of Twilio's 20 ms chunks); beyond it the oldest go. */
    private static final int INPUT_CAPACITY = 500;

    private final SocketEndpoint endpoint;
    private final SocketEndpoint.Start start;
    private final AudioPipeline pipeline;
    private final SocketAudioSink sink;
    private final FrameInbox input = new FrameInbox(INPUT_CAPACITY);
    /** The handler is handed frames on the socket's thread (its messages come one at a time), no input thread. */
    private final boolean inline;
    /** The close code chosen by the first {@link #end}; 0 for a plain close. */
    private final AtomicInteger closeCode = new AtomicInteger();

    SocketConnection(Stream stream, String id, SocketEndpoint endpoint, SocketEndpoint.Start start) {
        super(stream, id);
        this.endpoint = endpoint;
        this.start = start;
        this.pipeline = new AudioPipeline(this, start.outputRate());
        this.sink = new SocketAudioSink(endpoint, pipeline.playbackRate(), endpoint.phone());
        this.inline = endpoint.phone() && pipeline.inlineInput(); // a phone socket sends no data messages
    }

    /** The session is live: start the handler, the audio threads and the time limit. */
    void begin() {
        pipeline.setSink(sink);
        if (!inline) {
            pipeline.startInput(input);
        }
        reportConnected();
        pipeline.onConnected();
        startTimeLimit();
    }

    /** One chunk of µ-law audio from the client, of any length. */
    void receive(byte[] mulaw) {
        if (mulaw.length == 0 || isClosed()) {
            return;
        }
        AudioFrame frame = AudioFrame.ofPcm16(start.inputRate(), 1, MuLaw.decode(mulaw));
        if (inline) {
            pipeline.receiveInline(frame);
            return;
        }
        int dropped = input.offer(frame);
        if (dropped > 0) {
            reportDropped(dropped);
        }
    }

    /** Twilio played the audio up to this mark. */
    void markPlayed(String name) {
        sink.markPlayed(name);
    }

    /** Closes with a specific WebSocket close code. */
    void end(int code, End end, String reason) {
        closeCode.compareAndSet(0, code);
        close(end, reason);
    }

    /** Going away (1001) with reason {@code draining}: the client may reconnect to another instance. */
    @Override
    void endDraining() {
        closeCode.compareAndSet(0, SocketEndpoint.GOING_AWAY);
        super.endDraining();
    }

    @Override
    Pipeline pipeline() {
        return pipeline;
    }

    @Override
    Transport transport() {
        return phoneMode() ? Transport.TELEPHONE : Transport.WEBSOCKET;
    }

    @Override
    public void sendMessage(String text) {
        endpoint.sendData(text);
    }

    @Override
    public boolean phoneMode() {
        return start.call() != null;
    }

    @Override
    public Optional<PhoneCall> phoneCall() {
        return Optional.ofNullable(start.call());
    }

    @Override
    void closeTransport() {
        int code = closeCode.get();
        endpoint.closeSocket(code == 0 ? SocketEndpoint.NORMAL : code, closeReason());
    }
}
