package io.fastrtc.engine;

/**
 * Counters of a connection's incoming audio as its jitter buffer (libwebrtc's NetEq) played it,
 * since the connection started; {@link PeerSession#audioReception()}. Samples are per channel.
 *
 * @param samplesReceived samples played out, received or concealed
 * @param concealedSamples samples synthesised because audio was missing (heard as a glitch, or as
 *        stretched silence when {@code silentConcealedSamples})
 * @param silentConcealedSamples concealed samples that were silence anyway
 * @param concealmentEvents runs of concealment: how many times the audio broke up
 * @param samplesInserted samples added to slow playback down (the buffer ran low; smooth, not a glitch)
 * @param samplesRemoved samples removed to speed playback up (too much buffered; smooth, not a glitch)
 * @param jitterBufferDelaySeconds the sum over emitted samples of the time each spent buffered
 * @param jitterBufferEmitted samples emitted from the jitter buffer (divide the delay by it for the mean)
 * @param jitterBufferTargetSeconds the sum over emitted samples of the delay the jitter buffer aimed at then
 * @param jitterBufferMinimumSeconds the same for the delay it would aim at without a configured minimum
 * @param packetsReceived RTP packets received
 * @param jitterSeconds the packets' current interarrival jitter (RFC 3550), not a counter
 */
public record AudioReception(double samplesReceived, double concealedSamples, double silentConcealedSamples,
        double concealmentEvents, double samplesInserted, double samplesRemoved, double jitterBufferDelaySeconds,
        double jitterBufferEmitted, double jitterBufferTargetSeconds, double jitterBufferMinimumSeconds,
        double packetsReceived, double jitterSeconds) {

    /** The counters gained since {@code earlier}, for a measuring window (the jitter is the latest). */
    public AudioReception since(AudioReception earlier) {
        return new AudioReception(samplesReceived - earlier.samplesReceived, concealedSamples - earlier.concealedSamples,
                silentConcealedSamples - earlier.silentConcealedSamples, concealmentEvents - earlier.concealmentEvents,
                samplesInserted - earlier.samplesInserted, samplesRemoved - earlier.samplesRemoved,
                jitterBufferDelaySeconds - earlier.jitterBufferDelaySeconds, jitterBufferEmitted - earlier.jitterBufferEmitted,
                jitterBufferTargetSeconds - earlier.jitterBufferTargetSeconds,
                jitterBufferMinimumSeconds - earlier.jitterBufferMinimumSeconds,
                packetsReceived - earlier.packetsReceived, jitterSeconds);
    }

    /** The mean time a sample spent in the jitter buffer, in milliseconds; NaN before any was emitted. */
    public double meanJitterBufferMillis() {
        return perEmitted(jitterBufferDelaySeconds);
    }

    /** The mean delay the jitter buffer aimed at, in milliseconds; NaN before any sample was emitted. */
    public double meanTargetMillis() {
        return perEmitted(jitterBufferTargetSeconds);
    }

    /** The mean delay it would aim at without a configured minimum, in milliseconds. */
    public double meanMinimumMillis() {
        return perEmitted(jitterBufferMinimumSeconds);
    }

    private double perEmitted(double seconds) {
        return jitterBufferEmitted > 0 ? 1000 * seconds / jitterBufferEmitted : Double.NaN;
    }
}
