package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;

/**
 * A speech decision for every input frame, from a streaming {@link SpeechDetector}: speech starts
 * at a probability of 0.5 in a frame loud enough to be the user rather than line noise, and ends
 * below 0.35 (Silero's hysteresis). The frame is judged by the latest window the detector
 * completed (30 or 32 ms), so a decision lags the sound by at most one window. Not thread-safe.
 */
final class SpeechGate implements AutoCloseable {

    private static final float START = 0.5f;
    private static final float END = START - 0.15f;
    /** -45 dBFS: quieter input does not start speech. */
    private static final double MIN_RMS = 32768 * Math.pow(10, -45 / 20.0);

    private final SpeechDetector detector;
    private float probability;
    private boolean speech;

    SpeechGate(SpeechDetector detector) {
        this.detector = detector;
    }

    /** Feeds one frame; true if it is speech. */
    boolean accept(AudioFrame frame) {
        float p = detector.process(frame);
        if (p >= 0) {
            probability = p;
        }
        speech = speech ? probability >= END : probability >= START && rms(frame) >= MIN_RMS;
        return speech;
    }

    void reset() {
        probability = 0;
        speech = false;
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
