package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;

/**
 * Notices within a few frames that the user started talking over a reply. A frame counts as speech
 * when the streaming detector says so and it is loud enough to be the user rather than line noise;
 * speech in 3 of the last 4 frames (about 60 ms of a 20 ms-frame stream) is an onset.
 */
final class BargeIn implements AutoCloseable {

    private static final float PROBABILITY = 0.5f;
    /** -45 dBFS: quieter input is not the user talking. */
    private static final double MIN_RMS = 32768 * Math.pow(10, -45 / 20.0);
    private static final int WINDOW = 4;
    private static final int NEEDED = 3;

    private final SpeechDetector detector;
    private final boolean[] recent = new boolean[WINDOW];
    private int index;
    private float lastProbability;

    BargeIn(SpeechDetector detector) {
        this.detector = detector;
    }

    /** Feeds one input frame; true when it completes a speech onset. */
    boolean speechStarted(AudioFrame frame) {
        float p = detector.process(frame);
        if (p >= 0) {
            lastProbability = p;
        }
        recent[index] = lastProbability >= PROBABILITY && rms(frame) >= MIN_RMS;
        index = (index + 1) % WINDOW;
        int speech = 0;
        for (boolean b : recent) {
            speech += b ? 1 : 0;
        }
        if (speech >= NEEDED) {
            reset();
            return true;
        }
        return false;
    }

    void reset() {
        java.util.Arrays.fill(recent, false);
        lastProbability = 0;
        detector.reset();
    }

    static double rms(AudioFrame frame) {
        short[] s = frame.toPcm16();
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
    }

    @Override
    public void close() {
        detector.close();
    }
}
