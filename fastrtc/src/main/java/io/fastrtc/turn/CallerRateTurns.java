package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Resampler;
import java.util.List;

/**
 * {@link ReplyOnPause}'s input at the caller's own rate (8 kHz on the phone) when the handler
 * declares a higher one: frames are judged at the caller's rate and only a turn's audio is
 * converted, once, to the very samples converting the whole stream would have given (the same
 * filter over the same input). The filter reaches {@link Resampler#delay()} input samples to either
 * side of an output, so a turn is converted with the frame heard before it and the one after it:
 * each frame is judged when the next one arrives, as when the pipeline's continuous converter held
 * back that look-ahead. Only in the streaming mode: the chunked mode's {@code determinePause} sees
 * the input as it comes; when replies cannot be interrupted the frames heard over a reply are
 * skipped, so a turn's frames need not follow each other; and a subclass with its own
 * {@code receive} gets the declared rate. Not thread-safe: the connection's input thread.
 */
final class CallerRateTurns implements Endpointer.TurnAudio {

    private final int rate;
    /** The newest frame, judged when the next one arrives. */
    private AudioFrame newest;

    CallerRateTurns(int rate) {
        this.rate = rate;
    }

    /** Keeps {@code frame}; returns the one before it, to be judged now (null for the first). */
    AudioFrame next(AudioFrame frame) {
        AudioFrame ready = newest;
        newest = frame;
        return ready;
    }

    @Override
    public AudioFrame of(AudioFrame preceding, List<AudioFrame> frames) {
        AudioFrame turn = Endpointer.concat(frames);
        int from = turn.sampleRate();
        // Before the first frame the stream's converter had silence; after the newest it has nothing yet.
        AudioFrame before = preceding != null ? preceding
                : AudioFrame.silence(from, turn.channels(), frames.get(0).durationMillis());
        AudioFrame all = before.concat(turn);
        if (newest != null && newest.sampleRate() == from && newest.channels() == turn.channels()) {
            all = all.concat(newest);
        }
        AudioFrame converted = Resampler.resample(all, rate);
        int skip = scaled(before.samplesPerChannel(), from);
        int end = Math.min(converted.samplesPerChannel(), skip + scaled(turn.samplesPerChannel(), from));
        return converted.slice(skip, end);
    }

    private int scaled(int samples, int from) {
        return (int) ((long) samples * rate / from);
    }
}
