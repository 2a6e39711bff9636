package io.fastrtc.bench.agent;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.TextToSpeech;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A streaming speech service without a network, on a fixed clock: once text is handed over (a
 * {@link LiveSpeech#finish}), its first audio comes {@code timeToFirstAudio} later and the rest in
 * {@value #CHUNK_MS} ms chunks at {@code speed} times real time, as a WebSocket service (ElevenLabs)
 * streams it. Each character is {@code millisPerChar} of a loud 440 Hz tone at 24 kHz.
 * {@link #synthesize} waits for the whole audio, as a client that takes the complete answer must.
 * It notes when each text was handed over and when its first audio was taken ({@code System.nanoTime()}).
 */
public final class PacedTextToSpeech implements TextToSpeech {

    public static final int CHUNK_MS = 40;
    private static final int RATE = 24000;

    private final Duration timeToFirstAudio;
    private final double speed;
    private final int millisPerChar;
    private final List<Long> handedOver = new CopyOnWriteArrayList<>();
    private final List<Long> firstAudio = new CopyOnWriteArrayList<>();

    public PacedTextToSpeech(Duration timeToFirstAudio, double speed, int millisPerChar) {
        this.timeToFirstAudio = timeToFirstAudio;
        this.speed = speed;
        this.millisPerChar = millisPerChar;
    }

    public Duration timeToFirstAudio() {
        return timeToFirstAudio;
    }

    public double speed() {
        return speed;
    }

    public int millisPerChar() {
        return millisPerChar;
    }

    /** When each reply's text was complete ({@link LiveSpeech#finish}). */
    public List<Long> handedOver() {
        return handedOver;
    }

    /** When each reply's first audio was taken. */
    public List<Long> firstAudio() {
        return firstAudio;
    }

    @Override
    public AudioFrame synthesize(String text) {
        AudioFrame audio = tone(text.strip().length() * millisPerChar, 0);
        try {
            TimeUnit.NANOSECONDS.sleep(timeToFirstAudio.toNanos() + (long) (audio.durationMillis() * 1e6 / speed));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("synthesis interrupted", e);
        }
        return audio;
    }

    @Override
    public LiveSpeech live() {
        return new Live();
    }

    /** {@code millis} of the tone, its phase continued from sample {@code from}. */
    private static AudioFrame tone(int millis, long from) {
        short[] s = new short[RATE / 1000 * millis];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (12000 * Math.sin(2 * Math.PI * 440 * (from + i) / RATE));
        }
        return AudioFrame.ofPcm16(RATE, 1, s);
    }

    /** One reply: the text until {@link #finish}, then its audio chunk by chunk on the clock. */
    private final class Live implements LiveSpeech {
        private final StringBuilder text = new StringBuilder();
        private long startNanos;
        private int totalMillis;
        private int sentMillis;
        private volatile boolean finished;
        private volatile boolean closed;

        @Override
        public synchronized void append(String piece) {
            if (!finished && !closed) {
                text.append(piece);
            }
        }

        @Override
        public synchronized void finish() {
            if (!finished && !closed) {
                totalMillis = text.toString().strip().length() * millisPerChar;
                long now = System.nanoTime();
                handedOver.add(now);
                startNanos = now + timeToFirstAudio.toNanos();
                finished = true;
                notifyAll();
            }
        }

        @Override
        public synchronized boolean hasNext() {
            try {
                while (!finished && !closed) {
                    wait();
                }
                if (closed || sentMillis >= totalMillis) {
                    return false;
                }
                // Chunk n is ready timeToFirstAudio + n chunks' synthesis after the text was handed over.
                long due = startNanos + (long) (sentMillis * 1e6 / speed);
                for (long left = due - System.nanoTime(); left > 0 && !closed; left = due - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return !closed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public synchronized AudioFrame next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (sentMillis == 0) {
                firstAudio.add(System.nanoTime());
            }
            int millis = Math.min(CHUNK_MS, totalMillis - sentMillis);
            AudioFrame chunk = tone(millis, (long) sentMillis * RATE / 1000);
            sentMillis += millis;
            return chunk;
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }
    }
}
