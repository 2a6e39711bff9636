package io.fastrtc.turn;

/**
 * How {@link ReplyOnPause} chunks and judges the input (FastRTC's {@code AlgoOptions}, same defaults).
 *
 * @param audioChunkDurationS input is analysed in chunks of this many seconds (0.6)
 * @param startedTalkingThreshold a chunk with more speech than this (seconds) starts a turn (0.2)
 * @param speechThreshold a later chunk with less speech than this (seconds) ends it (0.1)
 * @param maxContinuousSpeechS a turn longer than this ends at once (unlimited)
 */
public record AlgoOptions(double audioChunkDurationS, double startedTalkingThreshold, double speechThreshold,
        double maxContinuousSpeechS) {

    public static final AlgoOptions DEFAULT = new AlgoOptions(0.6, 0.2, 0.1, Double.POSITIVE_INFINITY);

    public AlgoOptions {
        if (!(audioChunkDurationS > 0) || audioChunkDurationS > 10) {
            throw new IllegalArgumentException("audioChunkDurationS must be in (0, 10]; got " + audioChunkDurationS);
        }
        if (startedTalkingThreshold < 0 || speechThreshold < 0) {
            throw new IllegalArgumentException("thresholds must not be negative; got " + startedTalkingThreshold
                    + " and " + speechThreshold);
        }
        if (!(maxContinuousSpeechS > 0)) {
            throw new IllegalArgumentException("maxContinuousSpeechS must be positive; got " + maxContinuousSpeechS);
        }
    }
}
