package io.fastrtc.testing;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.AudioOutput;
import io.fastrtc.engine.DataChannel;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.engine.VideoOutput;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.internal.Pacer;
import io.fastrtc.video.VideoFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client peer for tests and benchmarks: offers video and a data channel the way FastRTC's
 * browser client does, and records what comes back.
 */
public final class TestPeer implements AudioClient, AutoCloseable {

    private final PeerSession session;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<PeerState> states = new CopyOnWriteArrayList<>();
    private final AtomicReference<VideoFrame> lastFrame = new AtomicReference<>();
    private final AtomicLong framesReceived = new AtomicLong();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> channelOpen = new CompletableFuture<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<AudioFrame> toSay = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<Heard> heard = new CopyOnWriteArrayList<>();
    private volatile DataChannel channel;
    private volatile long speechStarted;
    private volatile long speechEnded;
    private volatile Thread pusher;
    private volatile Thread receiver;
    private volatile boolean closed;

    public TestPeer(RtcEngine engine, String name) {
        this(engine, name, IceConfig.DEFAULT);
    }

    public TestPeer(RtcEngine engine, String name, IceConfig ice) {
        session = engine.newSession(name, ice, new PeerSession.Listener() {
            @Override
            public void onStateChange(PeerState state) {
                states.add(state);
                if (state == PeerState.CONNECTED) {
                    connected.complete(null);
                }
            }

            @Override
            public void onVideoTrack(VideoInput input) {
                Thread t = new Thread(() -> drain(input), "test-peer-recv-" + name);
                t.setDaemon(true);
                receiver = t;
                t.start();
            }

            @Override
            public void onAudioTrack(AudioInput input) {
                Thread t = new Thread(() -> listen(input), "test-peer-listen-" + name);
                t.setDaemon(true);
                t.start();
            }

            @Override
            public void onDataChannelOpen(DataChannel ch) {
                channelOpen.complete(null);
            }

            @Override
            public void onDataChannelMessage(DataChannel ch, byte[] data, boolean binary) {
                messages.add(new String(data, StandardCharsets.UTF_8));
            }
        });
    }

    private void drain(VideoInput input) {
        try {
            while (!closed) {
                VideoFrame frame = input.take(200, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    lastFrame.set(frame);
                    framesReceived.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One 10 ms frame of received audio with its arrival time. */
    public record Heard(long nanos, AudioFrame frame) {
        public double rms() {
            short[] s = frame.toPcm16();
            double sum = 0;
            for (short v : s) {
                sum += (double) v * v;
            }
            return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
        }
    }

    private void listen(AudioInput input) {
        try {
            while (!closed) {
                AudioFrame frame = input.take(200, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    heard.add(new Heard(System.nanoTime(), frame));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends a microphone track: 48 kHz mono in real time, silence unless something was queued with
     * {@link #say(AudioFrame)}.
     */
    public TestPeer sendAudio() {
        AudioOutput output = session.addAudioOutput("audio-" + session.name(), "a-" + session.name());
        AudioFrame[] current = {null};
        int[] offset = {0};
        paced("test-peer-mic-" + session.name(), 10_000_000L, () -> {
            if (current[0] == null) {
                AudioFrame queued = toSay.poll();
                current[0] = queued == null ? null : queued.toMono().resample(48000);
                offset[0] = 0;
                if (queued != null) {
                    speechStarted = System.nanoTime();
                }
            }
            AudioFrame chunk = AudioFrame.silence(48000, 1, 10);
            if (current[0] != null) {
                int end = Math.min(offset[0] + 480, current[0].samplesPerChannel());
                chunk = current[0].slice(offset[0], end);
                if (chunk.samplesPerChannel() < 480) {
                    chunk = chunk.concat(AudioFrame.silence(48000, 1, (480 - chunk.samplesPerChannel()) / 48.0));
                }
                offset[0] = end;
                if (offset[0] >= current[0].samplesPerChannel()) {
                    current[0] = null;
                    speechEnded = System.nanoTime();
                }
            }
            output.push(chunk);
        });
        return this;
    }

    /** Runs {@code tick} every {@code periodNanos} on a daemon thread until the peer closes. */
    private Thread paced(String name, long periodNanos, Runnable tick) {
        return Pacer.loop(name, periodNanos, () -> !closed, tick);
    }

    /** Queues audio for the microphone track; returns the time it will start (approximately). */
    @Override
    public void say(AudioFrame audio) {
        toSay.add(audio);
    }

    /** When the microphone began sending the latest utterance ({@code System.nanoTime()}), or 0. */
    @Override
    public long speechStartedNanos() {
        return speechStarted;
    }

    /** When the microphone finished sending the latest utterance, or 0. */
    @Override
    public long speechEndedNanos() {
        return speechEnded;
    }

    /** True while queued speech has not been fully sent. */
    @Override
    public boolean speaking() {
        return !toSay.isEmpty();
    }

    /** Asks for audio without sending any (receive-mode streams). */
    public TestPeer receiveAudio() {
        session.addAudioReceiver();
        return this;
    }

    /** Received audio frames so far, in order. */
    @Override
    public List<Heard> heard() {
        return heard;
    }

    /** Sends {@code pattern} frames at {@code fps} once connected. */
    public TestPeer sendVideo(int fps, java.util.function.LongFunction<VideoFrame> pattern) {
        VideoOutput output = session.addVideoOutput("video-" + session.name(), "v-" + session.name());
        long[] n = {0};
        pusher = paced("test-peer-send-" + session.name(), 1_000_000_000L / fps,
                () -> output.push(pattern.apply(n[0]++)));
        return this;
    }

    /** Asks for video without sending any (receive-mode streams). */
    public TestPeer receiveVideo() {
        session.addVideoReceiver();
        return this;
    }

    public TestPeer dataChannel(String label) {
        channel = session.createDataChannel(label);
        return this;
    }

    public String offer() {
        return session.createOffer();
    }

    public void accept(String answerSdp) {
        session.setRemoteDescription(false, answerSdp);
    }

    public boolean awaitConnected(Duration timeout) {
        try {
            connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public boolean awaitChannelOpen(Duration timeout) {
        try {
            channelOpen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public boolean send(String text) {
        return channel != null && channel.send(text);
    }

    /** The next data-channel message, or null after the timeout. */
    public String nextMessage(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a message containing {@code fragment}, skipping others; null on timeout. */
    public String awaitMessage(String fragment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String m = messages.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (m != null && m.contains(fragment)) {
                return m;
            }
        }
        return null;
    }

    public VideoFrame lastFrame() {
        return lastFrame.get();
    }

    public long framesReceived() {
        return framesReceived.get();
    }

    /** The selected ICE candidate pair's types, {@code "local/remote"} (e.g. {@code "relay/relay"}); null before one is selected. */
    public String selectedCandidateTypes() throws Exception {
        return session.selectedCandidateTypes().get(5, TimeUnit.SECONDS);
    }

    /** Why libwebrtc limits this peer's outgoing video ({@code "none"}, {@code "cpu"}, ...); null without one. */
    public String videoQualityLimitation() throws Exception {
        return session.videoQualityLimitation().get(5, TimeUnit.SECONDS);
    }

    /** The client's jitter-buffer counters for the audio it receives (libwebrtc's {@code inbound-rtp}). */
    public io.fastrtc.engine.AudioReception audioReception() throws Exception {
        return session.audioReception().get(5, TimeUnit.SECONDS);
    }

    public List<PeerState> states() {
        return states;
    }

    public PeerState state() {
        return session.state();
    }

    @Override
    public void close() {
        closed = true;
        session.close();
    }
}
