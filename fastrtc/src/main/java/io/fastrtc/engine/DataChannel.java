package io.fastrtc.engine;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/** A data channel. Events arrive through the owning session's {@link PeerSession.Listener}. */
public final class DataChannel {

    private final RTCDataChannel channel;
    private final String label;
    private final PeerSession session;
    private final AtomicBoolean announced = new AtomicBoolean();
    private final AtomicBoolean closedAnnounced = new AtomicBoolean();
    private final Observer observer = new Observer(this);
    private volatile boolean open;
    private volatile boolean closed;

    DataChannel(RTCDataChannel channel, PeerSession session) {
        this.channel = channel;
        this.session = session;
        this.label = channel.getLabel();
        channel.registerObserver(observer);
    }

    private void onMessage(RTCDataChannelBuffer buffer) {
        // The buffer is only valid during this call.
        ByteBuffer data = buffer.data;
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        boolean binary = buffer.binary;
        session.dispatch(l -> l.onDataChannelMessage(this, copy, binary));
    }

    /**
     * Reports opening and closing once each, also when they happened before we started observing:
     * a client that closes right after connecting can close the channel before the server's
     * {@code onDataChannel} runs, and no state change follows.
     */
    void announceState() {
        RTCDataChannelState state = channel.getState();
        if (state == RTCDataChannelState.OPEN && announced.compareAndSet(false, true)) {
            open = true;
            session.dispatch(l -> l.onDataChannelOpen(this));
        } else if ((state == RTCDataChannelState.CLOSING || state == RTCDataChannelState.CLOSED)
                && closedAnnounced.compareAndSet(false, true)) {
            open = false;
            session.dispatch(l -> l.onDataChannelClosed(this));
        }
    }

    public String label() {
        return label;
    }

    public boolean isOpen() {
        return open && !closed;
    }

    /** Sends a text message; returns false if the channel is not open or the send failed. */
    public boolean send(String text) {
        if (!isOpen()) {
            return false;
        }
        NativeCallbacks.checkNotInCallback("DataChannel.send");
        try {
            channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        observer.owner.cut();
        try {
            channel.unregisterObserver();
            channel.close();
            channel.dispose();
        } catch (Throwable e) {
            // the peer connection may already have torn it down
        }
    }

    /** Reaches its channel only through an {@link OwnerLink}, which {@link #close()} cuts. */
    private static final class Observer implements RTCDataChannelObserver {

        private final OwnerLink<DataChannel> owner;

        Observer(DataChannel owner) {
            this.owner = new OwnerLink<>(owner);
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
        }

        @Override
        public void onStateChange() {
            owner.deliver("data channel state", DataChannel::announceState);
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            owner.deliver("data channel message", channel -> channel.onMessage(buffer));
        }
    }
}
