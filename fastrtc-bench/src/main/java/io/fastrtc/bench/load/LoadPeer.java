package io.fastrtc.bench.load;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.AudioOutput;
import io.fastrtc.engine.AudioReception;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.engine.VideoOutput;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.internal.Pacer;
import io.fastrtc.video.VideoFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client peer of the load generator. Video: sends {@link Marker} frames at 30 fps and times each
 * flipped frame that comes back by the number it carries. Audio: sends 48 kHz silence with a loud
 * 50 ms tone once a second and times the echo's onset; reads its jitter buffer's counters at the
 * window's ends (concealment is what a listener hears as a glitch).
 * Figures are kept only while {@link #measuring} is set.
 */
final class LoadPeer implements AutoCloseable {

    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int FPS = 30;
    private static final int PULSE_EVERY_MS = 1000;
    private static final int PULSE_MS = 50;
    private static final int PULSE_AMPLITUDE = 12_000;
    private static final int ONSET = 4_000;

    private final String name;
    private final boolean video;
    private final PeerSession session;
    private final CompletableFuture<Long> connected = new CompletableFuture<>();
    private final long[] sentAt = new long[1 << Marker.BITS];
    private final List<Double> rttMs = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean measuring;
    private volatile boolean closed;
    private volatile long lastPulseNanos;
    private volatile VideoInput videoInput;
    private long framesInWindow;
    private long lastNumber = -1;
    private long undecodable;
    private long windowStart;
    private long lastFrameNanos;
    private long maxGapNanos;
    private boolean loud;
    private AudioReception receptionAtStart;
    private AudioReception reception;

    LoadPeer(RtcEngine engine, String name, boolean video) {
        this.name = name;
        this.video = video;
        session = engine.newSession(name, IceConfig.DEFAULT, new PeerSession.Listener() {
            @Override
            public void onStateChange(PeerState state) {
                if (state == PeerState.CONNECTED) {
                    connected.complete(System.nanoTime());
                }
            }

            @Override
            public void onVideoTrack(VideoInput input) {
                videoInput = input;
                start("load-recv-" + name, () -> receive(input));
            }

            @Override
            public void onAudioTrack(AudioInput input) {
                start("load-listen-" + name, () -> listen(input));
            }
        });
        if (video) {
            VideoOutput output = session.addVideoOutput("video-" + name, "v-" + name);
            Marker marker = new Marker(WIDTH, HEIGHT, name.hashCode());
            long[] n = {0};
            paced("load-send-" + name, 1_000_000_000L / FPS, () -> {
                VideoFrame frame = marker.frame(n[0]);
                sentAt[(int) (n[0] & 0xFFFF)] = System.nanoTime();
                output.push(frame);
                n[0]++;
            });
        } else {
            AudioOutput output = session.addAudioOutput("audio-" + name, "a-" + name);
            short[] tone = new short[480];
            for (int i = 0; i < tone.length; i++) {
                tone[i] = (short) (PULSE_AMPLITUDE * Math.sin(2 * Math.PI * 1000 * i / 48000.0));
            }
            long[] tick = {0};
            paced("load-mic-" + name, 10_000_000L, () -> {
                long ms = tick[0]++ * 10;
                if (ms % PULSE_EVERY_MS < PULSE_MS) {
                    if (ms % PULSE_EVERY_MS == 0) {
                        lastPulseNanos = System.nanoTime();
                    }
                    output.push(AudioFrame.ofPcm16(48000, 1, tone.clone()));
                } else {
                    output.push(AudioFrame.silence(48000, 1, 10));
                }
            });
        }
        // FastRTC's browser client always opens one.
        session.createDataChannel("text");
    }

    String name() {
        return name;
    }

    String offer() {
        return session.createOffer();
    }

    void accept(String answer) {
        session.setRemoteDescription(false, answer);
    }

    /** When the connection was established ({@code System.nanoTime()}), or null after the timeout. */
    Long awaitConnected(long timeoutMillis) {
        try {
            return connected.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    void measure(boolean on) {
        AudioReception counters = video ? null : reception();
        synchronized (this) {
            if (on) {
                receptionAtStart = counters;
            } else if (counters != null && receptionAtStart != null) {
                reception = counters.since(receptionAtStart);
            }
            long now = System.nanoTime();
            if (on) {
                windowStart = now;
                lastFrameNanos = now;
            } else if (video) {
                maxGapNanos = Math.max(maxGapNanos, now - lastFrameNanos);
            }
            measuring = on;
        }
    }

    /** The client's jitter-buffer counters now, or null if libwebrtc does not answer in time. */
    private AudioReception reception() {
        try {
            return session.audioReception().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    private void receive(VideoInput input) {
        try {
            while (!closed) {
                VideoFrame frame = input.take(200, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    continue;
                }
                long now = System.nanoTime();
                int number = Marker.read(frame);
                synchronized (this) {
                    if (!measuring) {
                        continue;
                    }
                    if (number < 0) {
                        undecodable++;
                    } else if (number != lastNumber) {
                        lastNumber = number;
                        maxGapNanos = Math.max(maxGapNanos, now - lastFrameNanos);
                        lastFrameNanos = now;
                        framesInWindow++;
                        long sent = sentAt[number];
                        if (sent != 0) {
                            rttMs.add((now - sent) / 1e6);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen(AudioInput input) {
        try {
            while (!closed) {
                AudioFrame frame = input.take(200, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    continue;
                }
                long now = System.nanoTime();
                int peak = 0;
                for (short s : frame.toPcm16()) {
                    peak = Math.max(peak, Math.abs(s));
                }
                synchronized (this) {
                    if (!measuring) {
                        continue;
                    }
                    boolean nowLoud = peak > ONSET;
                    long pulse = lastPulseNanos;
                    if (nowLoud && !loud && pulse != 0 && now - pulse < PULSE_EVERY_MS * 1_000_000L) {
                        rttMs.add((now - pulse) / 1e6);
                    }
                    loud = nowLoud;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Figures of the measuring window. */
    synchronized PeerResult result(double windowSeconds) {
        VideoInput input = videoInput;
        return new PeerResult(name, framesInWindow / windowSeconds, List.copyOf(rttMs), undecodable,
                input == null ? -1 : input.received(), maxGapNanos / 1e6, reception);
    }

    /**
     * What one peer measured: video fps and frame RTTs, or audio pulse RTTs and jitter-buffer counters.
     *
     * @param videoFramesArrived frames the client's decoder delivered since connecting, -1 if no video track came
     * @param longestVideoGapMs the longest time in the window without a new video frame
     * @param reception audio: what the client's jitter buffer did in the window (concealment = glitches), else null
     */
    record PeerResult(String name, double fps, List<Double> rttMs, long undecodable, long videoFramesArrived,
                      double longestVideoGapMs, AudioReception reception) {
    }

    private void start(String threadName, Runnable body) {
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Ticks only once connected: frames sent before are lost and would count as dropped. */
    private void paced(String threadName, long periodNanos, Runnable tick) {
        threads.add(Pacer.loop(threadName, periodNanos, () -> !closed, () -> {
            if (connected.isDone()) {
                tick.run();
            }
        }));
    }

    boolean video() {
        return video;
    }

    @Override
    public void close() {
        closed = true;
        session.close();
    }
}
