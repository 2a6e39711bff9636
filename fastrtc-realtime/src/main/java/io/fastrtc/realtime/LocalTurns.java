package io.fastrtc.realtime;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.turn.SpeechDetector;
import java.util.Arrays;

/**
 * Our own turn-taking for a realtime model whose server-side detection is off: a streaming speech
 * detector says within about 60 ms that the caller started talking (speech in 3 of the last 4
 * frames, loud enough to be the caller rather than line noise), and the turn ends after
 * {@code silenceMillis} without speech. Used by the input thread only.
 */
final class LocalTurns implements AutoCloseable {

    enum Change { NONE, STARTED, ENDED }

    private static final float SPEECH = 0.5f;
    /** -45 dBFS: quieter input is not the caller talking. */
    private static final double MIN_RMS = 32768 * Math.pow(10, -45 / 20.0);
    private static final int WINDOW = 4;
    private static final int NEEDED = 3;

    private final SpeechDetector detector;
    private final int silenceMillis;
    private final boolean[] recent = new boolean[WINDOW];
    private int index;
    private float probability;
    private boolean speaking;
    private double quietMillis;

    LocalTurns(SpeechDetector detector, int silenceMillis) {
        this.detector = detector;
        this.silenceMillis = silenceMillis;
    }

    /** Follows the next input frame; says whether the caller's turn started or ended with it. */
    Change feed(AudioFrame frame) {
        float p = detector.process(frame);
        if (p >= 0) {
            probability = p;
        }
        boolean speech = probability >= SPEECH && rms(frame) >= MIN_RMS;
        recent[index] = speech;
        index = (index + 1) % WINDOW;
        if (!speaking) {
            int n = 0;
            for (boolean b : recent) {
                n += b ? 1 : 0;
            }
            if (n < NEEDED) {
                return Change.NONE;
            }
            speaking = true;
            quietMillis = 0;
            return Change.STARTED;
        }
        quietMillis = speech ? 0 : quietMillis + frame.durationMillis();
        if (quietMillis < silenceMillis) {
            return Change.NONE;
        }
        speaking = false;
        Arrays.fill(recent, false);
        return Change.ENDED;
    }

    private static double rms(AudioFrame frame) {
        double sum = 0;
        int n = frame.samplesPerChannel() * frame.channels();
        for (int i = 0; i < frame.samplesPerChannel(); i++) {
            for (int c = 0; c < frame.channels(); c++) {
                double v = frame.sample(i, c);
                sum += v * v;
            }
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    @Override
    public void close() {
        detector.close();
    }
}
