package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import java.nio.ShortBuffer;

/**
 * A speech decision for every input frame, from a streaming {@link SpeechDetector}: speech starts
 * at a probability of 0.5 in a frame loud enough to be the user rather than line noise, and ends
 * below 0.35 (Silero's hysteresis). The frame is judged by the latest window the detector
 * completed (30 or 32 ms), so a decision lags the sound by at most one window. Not thread-safe.
 *
 * <p>The detector is fed 10 ms at a time, so the gate knows where in the audio each window ended
 * and where the audio was last loud: when speech stops, {@link #silentMillis()} says how long ago by
 * the audio's own timeline, where the decision itself comes a window and up to a frame later.
 */
final class SpeechGate implements AutoCloseable {

    private static final float START = 0.5f;
    private static final float END = START - 0.15f;
    /** -45 dBFS: quieter input does not start speech. */
    private static final double MIN_RMS = 32768 * Math.pow(10, -45 / 20.0);
    /**
     * How far before the first silent window quiet audio may count as silence: one window of
     * libwebrtc's detector, which calls a 30 ms block speech if any of it is. No further: a detector
     * that keeps hearing speech in quiet audio for longer (a whisper) is believed.
     */
    static final double LOOKBACK_MS = 30;

    private final SpeechDetector detector;
    private float probability;
    private boolean speech;
    /** Audio fed since the start or the last reset, in ms: the gate's timeline. */
    private double position;
    /** Where the latest window with a speech probability (at least {@link #END}) ended. */
    private double speechUntil;
    /** Where the latest window the detector completed ended. */
    private double windowEnd;
    /** Where the latest 10 ms at least {@link #MIN_RMS} loud ended. */
    private double loudUntil;

    SpeechGate(SpeechDetector detector) {
        this.detector = detector;
    }

    /** Feeds one frame; true if it is speech. */
    boolean accept(AudioFrame frame) {
        int samples = frame.samplesPerChannel();
        int tenMs = frame.sampleRate() / 100;
        int piece = frame.sampleRate() % 100 == 0 && samples > tenMs && samples % tenMs == 0 ? tenMs : samples;
        ShortBuffer pcm = frame.samples();
        int channels = frame.channels();
        double energy = 0;
        for (int at = 0; at < samples; at += piece) {
            double e = energy(pcm, at * channels, (at + piece) * channels);
            step(piece == samples ? frame : frame.slice(at, at + piece), e >= MIN_RMS * MIN_RMS * piece * channels);
            energy += e;
        }
        double rms = samples == 0 ? 0 : Math.sqrt(energy / (samples * channels));
        speech = speech ? probability >= END : probability >= START && rms >= MIN_RMS;
        return speech;
    }

    /** Feeds a piece of the frame and notes where its window, and its audio if {@code loud}, end. */
    private void step(AudioFrame part, boolean loud) {
        position += part.durationMillis();
        float p = detector.process(part);
        if (p >= 0) {
            probability = p;
            windowEnd = position;
            if (p >= END) {
                speechUntil = position;
            }
        }
        if (loud) {
            loudUntil = position;
        }
    }

    /**
     * After a frame judged not speech: the audio since the speech stopped, in ms, by the audio's
     * timeline. The speech stopped within the first window judged silent, or before it: at the end of
     * the last loud 10 ms in that window, or, if the last window judged speech ended quietly, where its
     * quiet began (at most {@link #LOOKBACK_MS} before its end). Loud audio all through the silent
     * window (noise) is silence from that window's end, where the detector told.
     */
    double silentMillis() {
        double since = loudUntil < speechUntil ? Math.max(loudUntil, speechUntil - LOOKBACK_MS)
                : Math.min(loudUntil, windowEnd);
        return position - since;
    }

    void reset() {
        probability = 0;
        speech = false;
        position = 0;
        speechUntil = 0;
        windowEnd = 0;
        loudUntil = 0;
        detector.reset();
    }

    private static double energy(ShortBuffer pcm, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double v = pcm.get(i);
            sum += v * v;
        }
        return sum;
    }

    @Override
    public void close() {
        detector.close();
    }
}
