package io.fastrtc.testing;

import io.fastrtc.audio.AudioFrame;
import java.util.List;

/** A test client that talks and listens: {@link TestPeer} over WebRTC, {@link SocketCaller} over a socket. */
public interface AudioClient {

    /** Queues speech for the microphone. */
    void say(AudioFrame audio);

    /** True while queued speech has not been fully sent. */
    boolean speaking();

    /** When the microphone began sending the latest utterance ({@code System.nanoTime()}), or 0. */
    long speechStartedNanos();

    /** When the microphone finished sending the latest utterance, or 0. */
    long speechEndedNanos();

    /** The audio received (played), 10 ms at a time, with when it was. */
    List<TestPeer.Heard> heard();
}
