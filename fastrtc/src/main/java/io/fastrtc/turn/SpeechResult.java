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
}
