package io.fastrtc.engine;

/** A peer connection's state, as in {@code RTCPeerConnection.connectionState}. */
public enum PeerState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED;

    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
