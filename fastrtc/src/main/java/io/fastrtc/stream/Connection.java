package io.fastrtc.stream;

import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.AudioReception;
import io.fastrtc.engine.DataChannel;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.Sdp;
import io.fastrtc.engine.VideoInput;
import io.fastrtc.internal.TokenBucket;
import io.fastrtc.protocol.Messages;
import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A WebRTC client of a {@link Stream}: a peer connection, its data channel and its timers. */
final class Connection extends Session implements PeerSession.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Largest data-channel message we read; larger ones get an error reply. */
    static final int MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;
    /** Messages kept for a data channel that is not open yet; a handler may fail before it opens. */
    private static final int MAX_EARLY_MESSAGES = 64;
    /** How often the incoming audio's jitter-buffer figures are read for telemetry. */
    static final Duration AUDIO_QUALITY_PERIOD = Duration.ofSeconds(5);
    /**
     * The Opus packet time asked of both senders: ours in the offer applied, unless the client's
     * offer states what it wants to receive, and the client's in the answer. 10 ms packets wait half
     * as long to be filled ({@link Sdp#withAudioPacketTime}), which each reply's first audio and each
     * end of a turn gain.
     */
    static final int AUDIO_PACKET_MILLIS = 10;

    private final Pipeline pipeline;
    private final List<String[]> pendingCandidates = new ArrayList<>();
    private volatile PeerSession session;
    private volatile boolean remoteApplied;
    private volatile DataChannel channel;
    /** Guards the switch from queueing to sending, so queued messages go out first and in order. */
    private final ArrayDeque<String> early = new ArrayDeque<>();
    private volatile boolean channelOpen;
    private volatile ScheduledFuture<?> connectTimeout;
    private volatile ScheduledFuture<?> disconnectGrace;
    private volatile ScheduledFuture<?> audioQuality;
    /** The last figures read, on the timer thread only (the stats answer is handed back to it). */
    private AudioReception lastReception;
    private volatile boolean everConnected;
    /** Candidates received so far, in the offer and trickled, against the stream's limit. */
    private final AtomicInteger candidates;
    private final TokenBucket clientMessages;
    /** Client messages dropped by the rate limit and not yet reported; guarded by {@code clientMessages}. */
    private int dropped;
    private long lastDropNotice;

    Connection(Stream stream, String id, int offeredCandidates) {
        super(stream, id);
        this.pipeline = Pipeline.create(stream, this);
        this.candidates = new AtomicInteger(offeredCandidates);
        int perSecond = stream.limits().messagesPerSecond();
        this.clientMessages = new TokenBucket(perSecond, 2.0 * perSecond);
        this.lastDropNotice = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    }

    @Override
    Pipeline pipeline() {
        return pipeline;
    }

    @Override
    Transport transport() {
        return Transport.WEBRTC;
    }

    /** Creates the peer connection and answers the offer; throws if the offer cannot be applied. */
    String negotiate(String offerSdp) {
        PeerSession s = stream.engine().newSession(webrtcId(), stream.sessions().iceConfig(), this);
        session = s;
        String codec = stream.sessions().videoCodec().sdpName();
        String offer = Sdp.withAudioPacketTime(offerSdp, AUDIO_PACKET_MILLIS);
        s.setRemoteDescription(true, codec == null ? offer : Sdp.preferVideoCodec(offer, codec));
        flushCandidates(s);
        pipeline.addOutputs(s);
        String answer = Sdp.withAudioPacketTime(s.createAnswer(), AUDIO_PACKET_MILLIS);
        connectTimeout = stream.scheduler().schedule(() -> close(End.TIMEOUT, "not connected within "
                + stream.sessions().connectTimeout().toMillis() + " ms"), stream.sessions().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return answer;
    }

    /** Counts one more trickled candidate; false once the stream's limit is reached. */
    boolean countCandidate() {
        return candidates.incrementAndGet() <= stream.limits().candidatesPerConnection();
    }

    /** Adds a trickled candidate, or keeps it until the offer has been applied. */
    void addCandidate(String mid, int index, String candidate) {
        synchronized (pendingCandidates) {
            if (!remoteApplied) {
                pendingCandidates.add(new String[] {mid, Integer.toString(index), candidate});
                return;
            }
        }
        session.addIceCandidate(mid, index, candidate);
    }

    private void flushCandidates(PeerSession s) {
        List<String[]> queued;
        synchronized (pendingCandidates) {
            remoteApplied = true;
            queued = new ArrayList<>(pendingCandidates);
            pendingCandidates.clear();
        }
        for (String[] c : queued) {
            try {
                s.addIceCandidate(c[0], Integer.parseInt(c[1]), c[2]);
            } catch (RuntimeException e) {
                LOG.debug("{}: early candidate rejected: {}", webrtcId(), e.getMessage());
            }
        }
    }

    // ---- peer events (on a library thread, in order) ----

    @Override
    public void onStateChange(PeerState state) {
        switch (state) {
            case CONNECTED -> onConnected();
            case DISCONNECTED -> disconnectGrace = stream.scheduler().schedule(
                    () -> close(End.TIMEOUT, "disconnected for " + Stream.DISCONNECT_GRACE.toSeconds() + " s"),
                    Stream.DISCONNECT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            case FAILED -> close(End.ERROR, "connection failed");
            case CLOSED -> close(End.CLIENT, "connection closed"); // also the client's clean close, seen at once
            default -> {
            }
        }
    }

    private void onConnected() {
        cancel(connectTimeout);
        cancel(disconnectGrace);
        if (everConnected) {
            return;
        }
        everConnected = true;
        reportConnected();
        startTimeLimit();
        pipeline.onConnected();
        if (telemetry() != SessionTelemetry.NONE && stream.modality().accepts("audio")) {
            long period = AUDIO_QUALITY_PERIOD.toMillis();
            audioQuality = stream.scheduler().scheduleWithFixedDelay(this::sampleAudioQuality, period, period,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Reports the jitter-buffer delay and the share of concealed samples of the incoming audio
     * over the last period; nothing while no audio arrives. libwebrtc answers on its signaling
     * thread, where only the answer is handed back to the timer.
     */
    private void sampleAudioQuality() {
        PeerSession s = session;
        if (s == null || isClosed()) {
            return;
        }
        try {
            s.audioReception().thenAcceptAsync(this::reportAudioQuality, stream.scheduler());
        } catch (RuntimeException e) {
            LOG.debug("{}: audio stats not read: {}", webrtcId(), e.toString()); // closing
        }
    }

    private void reportAudioQuality(AudioReception now) {
        AudioReception before = lastReception;
        lastReception = now;
        if (now == null) {
            return;
        }
        AudioReception window = before == null ? now : now.since(before);
        if (window.samplesReceived() > 0 && window.jitterBufferEmitted() > 0) {
            double delayMillis = window.meanJitterBufferMillis();
            telemetry().audioQuality(Duration.ofNanos(Math.round(delayMillis * 1e6)),
                    Math.min(1, window.concealedSamples() / window.samplesReceived()));
        }
    }

    @Override
    public void onVideoTrack(VideoInput input) {
        if (stream.modality().accepts("video")) {
            pipeline.onVideoTrack(input);
        }
    }

    @Override
    public void onAudioTrack(AudioInput input) {
        if (stream.modality().accepts("audio")) {
            pipeline.onAudioTrack(input);
        }
    }

    @Override
    public void onDataChannel(DataChannel ch) {
        channel = ch;
    }

    @Override
    public void onDataChannelOpen(DataChannel ch) {
        if (ch != channel) {
            return;
        }
        synchronized (early) {
            for (String text : early) {
                ch.send(text);
            }
            early.clear();
            channelOpen = true;
        }
    }

    @Override
    public void onDataChannelMessage(DataChannel ch, byte[] data, boolean binary) {
        if (!clientMessages.tryTake()) {
            reportDropped(ch);
            return;
        }
        if (data.length > MAX_CLIENT_MESSAGE_BYTES) {
            ch.send(Messages.error("message of " + data.length + " bytes ignored; the limit is "
                    + MAX_CLIENT_MESSAGE_BYTES));
            return;
        }
        // FastRTC acknowledges every client message this way; clients may rely on it.
        ch.send(Messages.log("Server received: " + new String(data, StandardCharsets.UTF_8)));
    }

    /** Counts a message over the rate limit and tells the client at most once a second. */
    private void reportDropped(DataChannel ch) {
        long now = System.nanoTime();
        int count;
        synchronized (clientMessages) {
            dropped++;
            if (now - lastDropNotice < TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            lastDropNotice = now;
            count = dropped;
            dropped = 0;
        }
        LOG.debug("{}: {} data-channel messages over the rate limit dropped", webrtcId(), count);
        ch.send(Messages.error(count + " data-channel messages dropped; the limit is "
                + stream.limits().messagesPerSecond() + " a second"));
    }

    @Override
    public void onDataChannelClosed(DataChannel ch) {
        if (ch == channel) {
            close(End.CLIENT, "client closed the data channel");
        }
    }

    @Override
    public void sendMessage(String text) {
        if (!channelOpen) {
            synchronized (early) {
                if (!channelOpen) {
                    if (early.size() < MAX_EARLY_MESSAGES && !isClosed()) {
                        early.add(text);
                    }
                    return;
                }
            }
        }
        channel.send(text);
    }

    @Override
    void onClosing() {
        cancel(connectTimeout);
        cancel(disconnectGrace);
        cancel(audioQuality);
    }

    @Override
    void closeTransport() {
        PeerSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
