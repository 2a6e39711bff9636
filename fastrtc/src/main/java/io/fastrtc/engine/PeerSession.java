package io.fastrtc.engine;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDtlsTransport;
import dev.onvoid.webrtc.RTCDtlsTransportObserver;
import dev.onvoid.webrtc.RTCDtlsTransportState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpReceiver;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.internal.NativeObject;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoTrack;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.ice.IceServer;
import io.fastrtc.internal.SerialExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection. Negotiation methods block the calling thread (never a libwebrtc thread)
 * until libwebrtc answers; events reach the {@link Listener} one at a time on our own threads.
 * The {@link PeerState} reported is libwebrtc's connection state, except that a remote peer closing
 * the connection (its DTLS close_notify) is reported as {@link PeerState#CLOSED} at once: libwebrtc
 * ignores it and stays "connected" until ICE notices the silence, about 7.5 s later.
 */
public final class PeerSession implements AutoCloseable {

    /** Events of a session, delivered in order on a library thread (never a libwebrtc thread). */
    public interface Listener {
        default void onStateChange(PeerState state) {
        }

        default void onVideoTrack(VideoInput input) {
        }

        default void onAudioTrack(AudioInput input) {
        }

        default void onDataChannel(DataChannel channel) {
        }

        default void onDataChannelOpen(DataChannel channel) {
        }

        default void onDataChannelMessage(DataChannel channel, byte[] data, boolean binary) {
        }

        default void onDataChannelClosed(DataChannel channel) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);
    private static final Duration SIGNALING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration GATHERING_TIMEOUT = Duration.ofSeconds(5);

    private final RtcEngine engine;
    private final String name;
    private final Listener listener;
    private final SerialExecutor events;
    private final RTCPeerConnection pc;
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final List<NativeObject> leakedRefs = new CopyOnWriteArrayList<>();
    private final List<VideoInput> inputs = new CopyOnWriteArrayList<>();
    private final List<AudioInput> audioInputs = new CopyOnWriteArrayList<>();
    private final List<VideoOutput> outputs = new CopyOnWriteArrayList<>();
    private final List<AudioOutput> audioOutputs = new CopyOnWriteArrayList<>();
    private final List<DataChannel> channels = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TransportObserver transportObserver = new TransportObserver(this);
    private volatile PeerState state = PeerState.NEW;

    PeerSession(RtcEngine engine, String name, IceConfig ice, Listener listener, Executor callbacks) {
        this.engine = engine;
        this.name = name;
        this.listener = listener;
        this.events = new SerialExecutor(callbacks);
        this.pc = engine.factory().createPeerConnection(configuration(ice), new Observer());
        if (pc == null) {
            throw new EngineException("libwebrtc refused to create a peer connection (check the ICE server URLs)");
        }
    }

    private static RTCConfiguration configuration(IceConfig ice) {
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.iceTransportPolicy = ice.transportPolicy() == IceConfig.TransportPolicy.RELAY
                ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
        for (IceServer server : ice.iceServers()) {
            boolean turn = server.urls().stream().anyMatch(u -> u.startsWith("turn"));
            if (turn && (server.username() == null || server.username().isEmpty()
                    || server.credential() == null || server.credential().isEmpty())) {
                // libwebrtc aborts the JVM on a TURN server without credentials, where a browser throws.
                throw new EngineException("the TURN server " + server.urls() + " has no username or credential;"
                        + " give both, as browsers require");
            }
            RTCIceServer s = new RTCIceServer();
            s.urls = new ArrayList<>(server.urls());
            s.username = server.username();
            s.password = server.credential();
            config.iceServers.add(s);
        }
        if (ice.minPort() > 0) {
            config.portAllocatorConfig = new PortAllocatorConfig(ice.minPort(), ice.maxPort(), 0);
        }
        return config;
    }

    public String name() {
        return name;
    }

    public PeerState state() {
        return state;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Applies the remote side's offer or answer. */
    public void setRemoteDescription(boolean offer, String sdp) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ensureOpen();
        refusing("applying the remote description", () -> pc.setRemoteDescription(
                new RTCSessionDescription(offer ? RTCSdpType.OFFER : RTCSdpType.ANSWER, sdp), SdpObservers.set(done, true)));
        await(done, "applying the remote description");
    }

    /**
     * Runs a native call on input from the remote side. webrtc-java reports some bad input (an SDP
     * line it cannot parse, a malformed candidate) by throwing {@code java.lang.Error} from the
     * call itself rather than through the observer; that is bad input, not a broken VM.
     */
    private static void refusing(String what, Runnable call) {
        try {
            call.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            throw new InvalidSdpException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Creates the answer, applies it, waits for candidate gathering and returns the complete SDP. */
    public String createAnswer() {
        CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
        ensureOpen();
        pc.createAnswer(new RTCAnswerOptions(), SdpObservers.create(answer));
        return applyLocal(await(answer, "creating the answer"));
    }

    /** Creates an offer (for client peers), applies it, waits for gathering and returns the complete SDP. */
    public String createOffer() {
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        ensureOpen();
        pc.createOffer(new RTCOfferOptions(), SdpObservers.create(offer));
        return applyLocal(await(offer, "creating the offer"));
    }

    private String applyLocal(RTCSessionDescription description) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.setLocalDescription(description, SdpObservers.set(done, false));
        await(done, "applying the local description");
        watchTransport();
        try {
            gathered.get(GATHERING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: ICE gathering incomplete after {} ms; answering with the candidates found so far",
                    name, GATHERING_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while gathering ICE candidates");
        } catch (ExecutionException e) {
            throw new EngineException("ICE gathering failed", e.getCause());
        }
        ensureOpen();
        return pc.getLocalDescription().sdp;
    }

    /**
     * Watches the media's DTLS transport for the remote side's close_notify, which every clean
     * close sends (a browser's or libwebrtc's {@code pc.close()}, aiortc's with its RTCP BYE).
     * Without media tracks there is no receiver to reach the transport; a data channel's close is
     * seen on the channel. The receivers and the transport {@code getReceivers}/{@code getTransport}
     * return hold no native reference (0.14.0 wraps their raw pointers), so nothing is released.
     */
    private void watchTransport() {
        for (RTCRtpReceiver receiver : pc.getReceivers()) {
            try {
                RTCDtlsTransport transport = receiver.getTransport();
                transport.registerObserver(transportObserver);
                if (transport.getState() == RTCDtlsTransportState.CLOSED) {
                    remoteClosed();
                }
                return;
            } catch (RuntimeException e) {
                LOG.debug("{}: no DTLS transport to watch yet: {}", name, e.toString());
            }
        }
    }

    private void remoteClosed() {
        if (closed.get() || state == PeerState.CLOSED) {
            return;
        }
        LOG.debug("{}: the remote peer closed the connection (DTLS close_notify)", name);
        state = PeerState.CLOSED;
        dispatch(l -> l.onStateChange(PeerState.CLOSED));
    }

    /** Adds an outgoing video track. Call after the remote offer so the offer's transceiver is reused. */
    public VideoOutput addVideoOutput(String trackId, String streamId) {
        ensureOpen();
        CustomVideoSource source = new CustomVideoSource();
        VideoTrack track = engine.factory().createVideoTrack(trackId, source);
        RTCRtpSender sender = pc.addTrack(track, List.of(streamId));
        leakedRefs.add(sender);
        VideoOutput output = new VideoOutput(source, track, sender);
        outputs.add(output);
        return output;
    }

    /** Adds an outgoing audio track. Call after the remote offer so the offer's transceiver is reused. */
    public AudioOutput addAudioOutput(String trackId, String streamId) {
        ensureOpen();
        CustomAudioSource source = new CustomAudioSource();
        AudioTrack track = engine.factory().createAudioTrack(trackId, source);
        RTCRtpSender sender = pc.addTrack(track, List.of(streamId));
        leakedRefs.add(sender);
        AudioOutput output = new AudioOutput(source, track);
        audioOutputs.add(output);
        return output;
    }

    /**
     * Sends every received video track straight back on its own transceiver: libwebrtc decodes and
     * re-encodes it without a frame ever reaching Java. Benchmarks use it as the floor a Java video
     * handler is measured against. Call after the remote offer and before the answer. Known limit
     * (libwebrtc M138, measured with a libwebrtc caller): in about half the connections the encoder
     * starts dropping every looped-back frame about a second in ("Same/old NTP timestamp" in
     * libwebrtc's log), when the received frames' capture times jump back to the caller's clock, and
     * does not recover. The wrappers
     * {@code getTransceivers} returns are left to the collector rather than released like the
     * session's own references: whether they hold a native reference is not documented, and
     * releasing one they do not hold would free the connection under libwebrtc.
     */
    public void loopBackVideo() {
        ensureOpen();
        for (RTCRtpTransceiver transceiver : pc.getTransceivers()) {
            if (transceiver.getReceiver().getTrack() instanceof VideoTrack video) {
                transceiver.getSender().replaceTrack(video);
                transceiver.setDirection(RTCRtpTransceiverDirection.SEND_RECV);
            }
        }
    }

    /** Adds a receive-only video transceiver (for client peers of receive-mode streams). */
    public void addVideoReceiver() {
        ensureOpen();
        CustomVideoSource source = new CustomVideoSource();
        VideoTrack track = engine.factory().createVideoTrack("recv-video-" + name, source);
        addReceiver(track);
        outputs.add(new VideoOutput(source, track, null));
    }

    /** Adds a receive-only audio transceiver (for client peers of receive-mode streams). */
    public void addAudioReceiver() {
        ensureOpen();
        CustomAudioSource source = new CustomAudioSource();
        AudioTrack track = engine.factory().createAudioTrack("recv-audio-" + name, source);
        addReceiver(track);
        audioOutputs.add(new AudioOutput(source, track));
    }

    private void addReceiver(MediaStreamTrack track) {
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.RECV_ONLY;
        RTCRtpTransceiver transceiver = pc.addTransceiver(track, init);
        leakedRefs.add(transceiver);
    }

    /** Creates a data channel (client peers; servers receive the client's). */
    public DataChannel createDataChannel(String label) {
        ensureOpen();
        RTCDataChannel channel = pc.createDataChannel(label, new RTCDataChannelInit());
        DataChannel wrapped = new DataChannel(channel, this);
        channels.add(wrapped);
        return wrapped;
    }

    /** Adds a trickled remote candidate. */
    public void addIceCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
        ensureOpen();
        refusing("adding the candidate", () -> pc.addIceCandidate(new RTCIceCandidate(sdpMid, sdpMLineIndex, candidate)));
    }

    /**
     * The candidate types of the pair ICE selected, as {@code "local/remote"} (e.g. {@code "relay/relay"}
     * or {@code "host/host"}), or null while none is selected; read from libwebrtc's stats. Call it from
     * your own thread, never from a media sink (getStats there hangs the process).
     */
    public CompletableFuture<String> selectedCandidateTypes() {
        return stats(PeerStats::selectedCandidateTypes);
    }

    /**
     * Why libwebrtc limits the outgoing video's quality, from its stats: {@code "cpu"} while its
     * overuse detector finds the encoder too slow for the frame rate, else {@code "none"},
     * {@code "bandwidth"} or {@code "other"}; null without a video sender. libwebrtc's answer to
     * "cpu" would be a smaller input, which the custom source cannot give, so callers act on it
     * ({@link VideoOutput#scaleResolutionDownBy}). Never call from a media sink.
     */
    public CompletableFuture<String> videoQualityLimitation() {
        return stats(PeerStats::videoQualityLimitation);
    }

    /**
     * What the receiving jitter buffer did with the incoming audio so far, from libwebrtc's
     * {@code inbound-rtp} stats (the figures a browser shows in webrtc-internals); null without an
     * audio receiver. Concealed samples are what the listener heard as a glitch: audio that did not
     * arrive in time and was synthesised. Never call from a media sink.
     */
    public CompletableFuture<AudioReception> audioReception() {
        return stats(PeerStats::audioReception);
    }

    /** Reads libwebrtc's stats; the answer is computed on its signaling thread, so keep {@code read} short. */
    private <T> CompletableFuture<T> stats(java.util.function.Function<RTCStatsReport, T> read) {
        NativeCallbacks.checkNotInCallback("reading stats");
        ensureOpen();
        CompletableFuture<T> answer = new CompletableFuture<>();
        pc.getStats(report -> NativeCallbacks.guard("stats", () -> {
            try {
                answer.complete(read.apply(report));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }));
        return answer;
    }

    void dispatch(Consumer<Listener> event) {
        if (!closed.get()) {
            events.execute(() -> event.accept(listener));
        }
    }

    /**
     * Closes the connection and frees its native objects. Idempotent. Safe from any of our threads;
     * from a libwebrtc callback the work is moved to our own thread.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (NativeCallbacks.inCallback()) {
            new Thread(this::teardown, "fastrtc-close-" + name).start();
        } else {
            teardown();
        }
    }

    private void teardown() {
        long started = System.nanoTime();
        transportObserver.owner.cut();
        for (VideoInput input : inputs) {
            input.close();
        }
        for (AudioInput input : audioInputs) {
            input.close();
        }
        for (DataChannel channel : channels) {
            channel.close();
        }
        for (VideoOutput output : outputs) {
            output.detach();
        }
        long pcHandle = NativeRefs.handleOf(pc);
        List<Long> refs = new ArrayList<>();
        for (NativeObject ref : leakedRefs) {
            refs.add(NativeRefs.handleOf(ref));
        }
        try {
            pc.close();
        } catch (Throwable t) {
            LOG.warn("{}: closing the peer connection failed", name, t);
        }
        for (int i = 0; i < refs.size(); i++) {
            NativeRefs.release(refs.get(i));
            NativeRefs.clear(leakedRefs.get(i));
        }
        NativeRefs.release(pcHandle);
        for (VideoOutput output : outputs) {
            output.close();
        }
        for (AudioOutput output : audioOutputs) {
            output.close();
        }
        state = PeerState.CLOSED;
        engine.forget(this);
        engine.keepAudioFlowing();
        LOG.debug("{}: closed in {} µs", name, (System.nanoTime() - started) / 1000);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new EngineException("the peer connection " + name + " is closed");
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        NativeCallbacks.checkNotInCallback(what);
        try {
            return future.get(SIGNALING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            String message = what + " failed: " + e.getCause().getMessage();
            throw e.getCause() instanceof InvalidSdpException ? new InvalidSdpException(message, e.getCause())
                    : new EngineException(message, e.getCause());
        } catch (TimeoutException e) {
            throw new EngineException(what + " timed out after " + SIGNALING_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + " was interrupted");
        }
    }

    /** Reaches its session only through an {@link OwnerLink}, which teardown cuts. */
    private static final class TransportObserver implements RTCDtlsTransportObserver {

        private final OwnerLink<PeerSession> owner;

        TransportObserver(PeerSession owner) {
            this.owner = new OwnerLink<>(owner);
        }

        @Override
        public void onStateChange(RTCDtlsTransportState transportState) {
            if (transportState == RTCDtlsTransportState.CLOSED) {
                owner.deliver("transport state", PeerSession::remoteClosed);
            }
        }

        @Override
        public void onError(String error) {
            // a failed transport fails the connection, which onConnectionChange reports
        }
    }

    /** Runs on libwebrtc's signaling thread: only records and hands off. */
    private final class Observer implements PeerConnectionObserver {

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            // Non-trickle: the complete candidate list goes out in the description.
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState gatheringState) {
            NativeCallbacks.guard("gathering change", () -> {
                if (gatheringState == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState connectionState) {
            NativeCallbacks.guard("connection change", () -> {
                if (state == PeerState.CLOSED) {
                    return; // the remote peer closed it; libwebrtc's later "disconnected" is no news
                }
                PeerState mapped = PeerState.valueOf(connectionState.name());
                state = mapped;
                dispatch(l -> l.onStateChange(mapped));
            });
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            NativeCallbacks.guard("track", () -> {
                MediaStreamTrack track = transceiver.getReceiver().getTrack();
                if (closed.get()) {
                    return;
                }
                if (track instanceof VideoTrack video) {
                    VideoInput input = new VideoInput(video);
                    inputs.add(input);
                    dispatch(l -> l.onVideoTrack(input));
                } else if (track instanceof AudioTrack audio) {
                    AudioInput input = new AudioInput(audio);
                    audioInputs.add(input);
                    dispatch(l -> l.onAudioTrack(input));
                }
            });
        }

        @Override
        public void onDataChannel(RTCDataChannel dataChannel) {
            NativeCallbacks.guard("data channel", () -> {
                DataChannel channel = new DataChannel(dataChannel, PeerSession.this);
                channels.add(channel);
                dispatch(l -> l.onDataChannel(channel));
                channel.announceState();
            });
        }
    }
}
