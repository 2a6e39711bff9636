package io.fastrtc.turn;

import java.util.List;

/**
 * What {@link PauseDetectionModel#vad} found: the total duration of the (padded) speech segments,
 * and the segments as sample indices at {@code sampleRate} (the model's own rate).
 */
public record SpeechResult(double speechSeconds, List<Segment> segments, int sampleRate) {

    /** Samples {@code [start, end)} of the analysed audio contain speech. */
    public record Segment(int start, int end) {
    }

    public SpeechResult {
        segments = List.copyOf(segments);
    }

    public static SpeechResult none(int sampleRate) {
        return new SpeechResult(0, List.of(), sampleRate);
    }

    /**
     * What a model reports when the analysis failed: infinite speech and no segments, so a failure
     * never ends the user's turn (FastRTC's behaviour).
     */
    public static SpeechResult failed(int sampleRate) {
        return new SpeechResult(Double.POSITIVE_INFINITY, List.of(), sampleRate);
    }
}
