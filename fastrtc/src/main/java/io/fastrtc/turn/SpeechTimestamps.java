package io.fastrtc.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns per-window speech probabilities into speech segments: an exact port of
 * {@code get_speech_timestamps} as FastRTC ships it (adapted from Silero VAD), generalised from
 * Silero's fixed 16 kHz to any window size and sample rate so every {@link PauseDetectionModel}
 * reports FastRTC-compatible results.
 *
 * <p>A segment starts at the first window with probability {@code >= threshold} and ends at the
 * first window of a run below {@code threshold - 0.15} that lasts {@code minSilenceDurationMs};
 * segments of {@code minSpeechDurationMs} or less are dropped; segments longer than
 * {@code maxSpeechDurationS} are split, preferably at the last silence longer than 98 ms; finally
 * every segment is padded by {@code speechPadMs} on each side, and the silence between two
 * segments closer than twice the padding is shared equally between them.
 *
 * <p>Python's quirks are kept on purpose, because results near the limits must match FastRTC's:
 * positions are window starts, "0" doubles as "not set" for the pending silence start, a segment
 * still open at the end runs to the end of the audio, and the limits are compared as fractional
 * sample counts.
 */
public final class SpeechTimestamps {

    /** Silero's minimum silence for splitting a segment that reached the maximum length. */
    private static final int MIN_SILENCE_AT_MAX_SPEECH_MS = 98;
    /** How far below {@code threshold} a window must be to count as silence inside speech. */
    private static final double HYSTERESIS = 0.15;

    private SpeechTimestamps() {
    }

    /**
     * The speech in {@code audioSamples} samples at {@code sampleRate}, given the probability of
     * each window of {@code windowSamples} samples (the last window may be partial, as in FastRTC,
     * which zero-pads it). Segments are sample indices at {@code sampleRate}; the speech seconds
     * are their total length, like FastRTC's {@code collect_chunks}.
     *
     * @throws IllegalArgumentException if there is not exactly one probability per window
     */
    public static SpeechResult find(float[] probabilities, int windowSamples, int audioSamples, int sampleRate,
            VadOptions options) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(options, "options");
        if (windowSamples <= 0 || audioSamples < 0 || sampleRate <= 0) {
            throw new IllegalArgumentException("need windowSamples > 0, audioSamples >= 0 and sampleRate > 0, got "
                    + windowSamples + ", " + audioSamples + ", " + sampleRate);
        }
        long windows = (audioSamples + (long) windowSamples - 1) / windowSamples;
        if (probabilities.length != windows) {
            throw new IllegalArgumentException("expected one probability per window of " + windowSamples
                    + " samples, i.e. " + windows + " for " + audioSamples + " samples, got " + probabilities.length);
        }
        double padSamples = (double) sampleRate * options.speechPadMs() / 1000;
        List<long[]> speeches = detect(probabilities, windowSamples, audioSamples, sampleRate, padSamples, options);
        pad(speeches, audioSamples, padSamples);

        List<SpeechResult.Segment> segments = new ArrayList<>(speeches.size());
        long collected = 0;
        for (long[] s : speeches) {
            segments.add(new SpeechResult.Segment((int) s[0], (int) s[1]));
            collected += Math.max(0, Math.min(s[1], audioSamples) - Math.min(s[0], audioSamples));
        }
        return new SpeechResult((double) collected / sampleRate, segments, sampleRate);
    }

    /** The unpadded segments, {@code [start, end]} pairs. */
    private static List<long[]> detect(float[] probabilities, int window, int audioSamples, int sampleRate,
            double padSamples, VadOptions options) {
        double threshold = options.threshold();
        double negThreshold = threshold - HYSTERESIS;
        double minSpeechSamples = (double) sampleRate * options.minSpeechDurationMs() / 1000;
        double maxSpeechSamples = sampleRate * options.maxSpeechDurationS() - window - 2 * padSamples;
        double minSilenceSamples = (double) sampleRate * options.minSilenceDurationMs() / 1000;
        double minSilenceSamplesAtMaxSpeech = (double) sampleRate * MIN_SILENCE_AT_MAX_SPEECH_MS / 1000;

        List<long[]> speeches = new ArrayList<>();
        boolean triggered = false;
        long start = 0;
        // Python's "if temp_end" / "if prev_end": 0 means not set.
        long tempEnd = 0;
        long prevEnd = 0;
        long nextStart = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            long position = (long) window * i;
            if (p >= threshold && tempEnd != 0) {
                tempEnd = 0;
                if (nextStart < prevEnd) {
                    nextStart = position;
                }
            }
            if (p >= threshold && !triggered) {
                triggered = true;
                start = position;
                continue;
            }
            if (triggered && position - start > maxSpeechSamples) {
                if (prevEnd != 0) {
                    speeches.add(new long[] {start, prevEnd});
                    if (nextStart < prevEnd) {
                        triggered = false;
                    } else {
                        start = nextStart;
                    }
                    prevEnd = 0;
                    nextStart = 0;
                    tempEnd = 0;
                } else {
                    speeches.add(new long[] {start, position});
                    prevEnd = 0;
                    nextStart = 0;
                    tempEnd = 0;
                    triggered = false;
                    continue;
                }
            }
            if (p < negThreshold && triggered) {
                if (tempEnd == 0) {
                    tempEnd = position;
                }
                if (position - tempEnd > minSilenceSamplesAtMaxSpeech) {
                    prevEnd = tempEnd;
                }
                if (position - tempEnd < minSilenceSamples) {
                    continue;
                }
                if (tempEnd - start > minSpeechSamples) {
                    speeches.add(new long[] {start, tempEnd});
                }
                prevEnd = 0;
                nextStart = 0;
                tempEnd = 0;
                triggered = false;
            }
        }
        if (triggered && audioSamples - start > minSpeechSamples) {
            speeches.add(new long[] {start, audioSamples});
        }
        return speeches;
    }

    private static void pad(List<long[]> speeches, int audioSamples, double padSamples) {
        int last = speeches.size() - 1;
        for (int i = 0; i <= last; i++) {
            long[] speech = speeches.get(i);
            if (i == 0) {
                speech[0] = (long) Math.max(0, speech[0] - padSamples);
            }
            if (i != last) {
                long[] next = speeches.get(i + 1);
                long silence = next[0] - speech[1];
                if (silence < 2 * padSamples) {
                    long half = Math.floorDiv(silence, 2);
                    speech[1] += half;
                    next[0] = Math.max(0, next[0] - half);
                } else {
                    speech[1] = (long) Math.min(audioSamples, speech[1] + padSamples);
                    next[0] = (long) Math.max(0, next[0] - padSamples);
                }
            } else {
                speech[1] = (long) Math.min(audioSamples, speech[1] + padSamples);
            }
        }
    }
}
