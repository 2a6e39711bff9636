package io.fastrtc.bench.agent;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.turn.PauseDetectionModel;
import io.fastrtc.turn.SpeechDetector;
import io.fastrtc.turn.SpeechResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's speech detector for a benchmark whose client sends speech and then digital silence:
 * a frame is speech when it is loud. It sees every input frame the moment the handler does, on the
 * connection's input thread, so it also notes when the turn detector fires: the frame that completes
 * {@code silence} of quiet after speech (the streaming end-of-turn rule of
 * {@link io.fastrtc.turn.Endpointing}, whose clock is the audio itself). Use one per stream of one client.
 */
public final class TurnClock implements PauseDetectionModel {

    /** Quieter than this (RMS of 16-bit samples) is silence; well above {@code SpeechGate}'s -45 dBFS. */
    private static final double LOUD = 300;

    private final double silenceMillis;
    private final List<Long> turnEnds = new CopyOnWriteArrayList<>();

    public TurnClock(Duration silence) {
        this.silenceMillis = silence.toNanos() / 1e6;
    }

    /** When each turn ended ({@code System.nanoTime()}), in order. */
    public List<Long> turnEnds() {
        return turnEnds;
    }

    /** When the latest turn ended, or -1. */
    public long latest() {
        List<Long> ends = List.copyOf(turnEnds);
        return ends.isEmpty() ? -1 : ends.get(ends.size() - 1);
    }

    @Override
    public SpeechResult vad(AudioFrame audio) {
        int window = audio.sampleRate() / 50;
        int loud = 0;
        for (int at = 0; at + window <= audio.samplesPerChannel(); at += window) {
            loud += rms(audio.slice(at, at + window)) >= LOUD ? 1 : 0;
        }
        return new SpeechResult(loud * 0.02, List.of(), audio.sampleRate());
    }

    @Override
    public SpeechDetector streamingDetector() {
        return new SpeechDetector() {
            private double quietMillis;
            private boolean armed;

            @Override
            public float process(AudioFrame audio) {
                long now = System.nanoTime();
                if (rms(audio) >= LOUD) {
                    armed = true;
                    quietMillis = 0;
                    return 1;
                }
                quietMillis += audio.durationMillis();
                if (armed && quietMillis >= silenceMillis) {
                    armed = false;
                    turnEnds.add(now);
                }
                return 0;
            }

            @Override
            public void reset() {
                // the clock follows the audio, not the handler's turns
            }

            @Override
            public void close() {
            }
        };
    }

    /** Measured as the client peer measures what it hears. */
    private static double rms(AudioFrame frame) {
        return new TestPeer.Heard(0, frame).rms();
    }
}
