package io.fastrtc.engine;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.internal.Threads;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one libwebrtc {@code PeerConnectionFactory} and the peer sessions made from it.
 *
 * <p>A server's engine belongs to its runtime ({@code io.fastrtc.stream.FastRtc}), which closes it.
 * Tests that need a second, independent side (a client) create their own with {@link #create()}
 * and close it.
 */
public final class RtcEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtcEngine.class);
    /** How long closing waits for teardowns in progress on other threads. */
    private static final Duration TEARDOWN_WAIT = Duration.ofSeconds(10);

    private final HeadlessAudioDeviceModule audioModule;
    private final PeerConnectionFactory factory;
    private final Set<PeerSession> sessions = ConcurrentHashMap.newKeySet();
    private final Executor callbacks = Threads.perTask("fastrtc-event");
    private volatile boolean closed;
    private boolean recording;

    private RtcEngine() {
        loadNative();
        // Playout must be running before the factory exists: libwebrtc then refuses the ADM's
        // transport callback, so the fake capture path stays inert. In the other order every
        // connection's sender receives the mix of all callers' audio.
        audioModule = new HeadlessAudioDeviceModule();
        audioModule.initPlayout();
        audioModule.startPlayout();
        factory = new PeerConnectionFactory(audioModule);
        keepAudioFlowing();
        LOG.debug("WebRTC engine started (virtual threads: {})", Threads.virtual());
    }

    /** A separate engine with its own factory and signaling thread; close it when done. */
    public static RtcEngine create() {
        return new RtcEngine();
    }

    /**
     * Loads libwebrtc. Utility classes (I420 buffers, converters, the VAD) do not load it
     * themselves and fail with {@code UnsatisfiedLinkError} if touched first.
     */
    public static void loadNative() {
        try {
            Class.forName(PeerConnectionFactory.class.getName(), true, RtcEngine.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new EngineException("webrtc-java is not on the class path", e);
        } catch (UnsatisfiedLinkError e) {
            throw new EngineException("libwebrtc could not be loaded (" + e.getMessage() + "). On Debian/Ubuntu"
                    + " install libpulse0 (apt-get install libpulse0); java.io.tmpdir must be writable and executable", e);
        }
    }

    /** Starts a new peer connection. */
    public PeerSession newSession(String name, IceConfig ice, PeerSession.Listener listener) {
        if (closed) {
            throw new EngineException("the WebRTC engine is closed");
        }
        PeerSession session = new PeerSession(this, name, ice, listener, callbacks);
        sessions.add(session);
        return session;
    }

    /** Sessions not yet closed. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Keeps remote audio flowing to our sinks. With the headless module, remote audio is pulled
     * only by its capture thread, which libwebrtc runs only while some connection of the factory
     * sends audio: a receive-only connection (a send-mode audio stream, a listening client) would
     * get nothing. So the capture thread is started here and restarted after every close (libwebrtc
     * stops it when the last audio sender goes). What it captures goes nowhere: the playout-first
     * order above makes the audio buffer refuse it, so no caller's audio leaks into another's.
     */
    synchronized void keepAudioFlowing() {
        if (closed) {
            return;
        }
        try {
            if (!recording) {
                audioModule.initRecording();
            }
            audioModule.startRecording();
            recording = true;
        } catch (Throwable t) {
            LOG.warn("could not start the audio pump; receive-only audio connections may stay silent", t);
        }
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    void forget(PeerSession session) {
        sessions.remove(session);
        NativeHeap.trimSoon();
    }

    /**
     * Waits for the sessions other threads are closing (a stream closes its connections on its own
     * threads) to finish their teardown, which still uses the factory.
     */
    private boolean awaitTeardowns() {
        long deadline = System.nanoTime() + TEARDOWN_WAIT.toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return sessions.isEmpty();
    }

    /** Closes every session, then the factory and the audio module. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (PeerSession session : List.copyOf(sessions)) {
            session.close();
        }
        if (!awaitTeardowns()) {
            // Disposing the factory under a teardown still running crashes the JVM; leaking it does not.
            LOG.warn("WebRTC engine not disposed: {} peer connections are still closing", sessions.size());
            return;
        }
        try {
            audioModule.stopRecording();
            audioModule.stopPlayout();
            factory.dispose();
            audioModule.dispose();
        } catch (Throwable t) {
            LOG.warn("WebRTC engine shutdown failed", t);
        }
    }
}
