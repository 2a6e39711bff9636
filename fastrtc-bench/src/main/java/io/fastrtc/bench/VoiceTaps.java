package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's side of a turn, for {@link VoiceModes}' breakdown, from the library's own {@link
 * TurnTelemetry} (client and server share the JVM and {@code System.nanoTime()}): when the reply
 * function was called, when the reply's first audio was handed to the connection's output, and where
 * the server's input went quiet (that moment less the latency it reports from the end of speech).
 */
final class VoiceTaps implements Telemetry {

    /** One turn as the server saw it ({@code System.nanoTime()}; 0 until known). */
    static final class Turn {
        final long called = System.nanoTime();
        volatile long firstAudio;
        volatile long speechEnd;
    }

    /** -45 dBFS, the level below which {@code SpeechGate} counts audio as quiet. */
    private static final double QUIET = 32768 * Math.pow(10, -45 / 20.0);

    private final List<Turn> turns = new CopyOnWriteArrayList<>();
    /** The server's receive jitter-buffer delay per emitted sample, ms, as its sessions sampled it. */
    private final List<Double> receiveJitter = new CopyOnWriteArrayList<>();

    @Override
    public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        return new SessionTelemetry() {
            @Override
            public void audioQuality(Duration jitterBufferDelay, double concealedRatio) {
                receiveJitter.add(jitterBufferDelay.toNanos() / 1e6);
            }

            @Override
            public TurnTelemetry turnStarted() {
                Turn turn = new Turn();
                turns.add(turn);
                return new TurnTelemetry() {
                    @Override
                    public void firstAudio(Duration latency) {
                        long now = System.nanoTime();
                        turn.speechEnd = now - latency.toNanos();
                        turn.firstAudio = now;
                    }
                };
            }
        };
    }

    /** The first turn whose reply was sent after the speech that ended at or after {@code spokenFrom}; null if none. */
    Turn after(long spokenFrom) {
        for (Turn t : turns) {
            if (t.firstAudio != 0 && t.speechEnd >= spokenFrom) {
                return t;
            }
        }
        return null;
    }

    /** How many receive jitter-buffer samples there are so far (for {@link #receiveJitterSince}). */
    int samples() {
        return receiveJitter.size();
    }

    /** The median of the server's receive jitter-buffer samples from number {@code from} on, ms. */
    double receiveJitterSince(int from) {
        return VoiceBench.percentile(receiveJitter.subList(from, receiveJitter.size()), 50);
    }

    /** How much of {@code audio}'s end is quiet (after its last 10 ms at -45 dBFS or louder), in ms. */
    static double quietTailMillis(AudioFrame audio) {
        short[] s = audio.toMono().toPcm16();
        int piece = audio.sampleRate() / 100;
        int loudEnd = 0;
        for (int at = 0; at + piece <= s.length; at += piece) {
            double sum = 0;
            for (int i = at; i < at + piece; i++) {
                sum += (double) s[i] * s[i];
            }
            if (Math.sqrt(sum / piece) >= QUIET) {
                loudEnd = at + piece;
            }
        }
        return (s.length - loudEnd) * 1000.0 / audio.sampleRate();
    }
}
