package io.fastrtc.stream;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.MuLaw;
import io.fastrtc.protocol.SocketMessages;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output audio of a socket session as µ-law {@code media} events of 20 ms, fed
 * {@value #LEAD_MS} ms ahead of real time so network jitter does not starve the client's player.
 * Barge-in sends {@code clear}, so the client drops what it holds: Twilio does (FastRTC never sends
 * it, so an interrupted reply kept playing on the phone); FastRTC's WebSocket clients may ignore it.
 *
 * <p>With Twilio, a {@code mark} follows each run of audio. Twilio echoes a mark once the audio
 * before it has played on the phone (or was cleared), so until then the session counts that
 * audio as playing: a {@code CloseStream} hangs up only after the caller heard everything, and
 * ReplyOnPause knows a reply is still audible when the caller talks over it. A mark Twilio does
 * not echo within {@value #MARK_GRACE_MS} ms after it should have played is given up.
 */
final class SocketAudioSink implements AudioSink {

    static final int LEAD_MS = 200;
    /** The audio in one {@code media} event. */
    static final int MESSAGE_MS = 20;
    private static final int MARK_GRACE_MS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(SocketAudioSink.class);

    private final SocketEndpoint endpoint;
    private final boolean marks;
    private final Function<byte[], String> media;
    /** µ-law held until a 20 ms message is full; touched only by the playout thread (and clear, under its lock). */
    private final byte[] pending;
    private int pendingLength;
    /** Marks sent and not echoed yet, oldest first, with the time they are given up at. */
    private final Map<String, Long> outstanding = new LinkedHashMap<>();
    private long markCount;

    SocketAudioSink(SocketEndpoint endpoint, int sampleRate, boolean marks) {
        this.endpoint = endpoint;
        this.marks = marks;
        this.media = SocketMessages.media(endpoint.streamSid());
        this.pending = new byte[sampleRate * MESSAGE_MS / 1000];
    }

    @Override
    public void push(AudioFrame frame) {
        for (short sample : frame.toPcm16()) {
            pending[pendingLength++] = MuLaw.encode(sample);
            if (pendingLength == pending.length) {
                sendPending();
            }
        }
    }

    private void sendPending() {
        if (pendingLength > 0) {
            byte[] payload = Arrays.copyOf(pending, pendingLength);
            pendingLength = 0;
            endpoint.send(media.apply(payload));
        }
    }

    @Override
    public int leadMillis() {
        return LEAD_MS;
    }

    /** A message's worth a tick: half the wake-ups of 10 ms ticks, each of which sent half a message. */
    @Override
    public int periodMillis() {
        return MESSAGE_MS;
    }

    @Override
    public void idle() {
        sendPending();
        if (marks) {
            String name = "fastrtc-" + (++markCount);
            synchronized (outstanding) {
                outstanding.put(name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEAD_MS + MARK_GRACE_MS));
            }
            endpoint.send(SocketMessages.mark(endpoint.streamSid(), name));
        }
    }

    @Override
    public void clear() {
        pendingLength = 0;
        synchronized (outstanding) {
            outstanding.clear(); // Twilio echoes them on clear; nothing is playing any more
        }
        endpoint.send(SocketMessages.clear(endpoint.streamSid()));
    }

    @Override
    public int unplayedMillis(int estimateMillis) {
        if (!marks) {
            return estimateMillis;
        }
        synchronized (outstanding) {
            long now = System.nanoTime();
            for (Iterator<Map.Entry<String, Long>> it = outstanding.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Long> mark = it.next();
                if (now - mark.getValue() > 0) {
                    LOG.debug("mark {} was not echoed in time; taking its audio as played", mark.getKey());
                    it.remove();
                }
            }
            return outstanding.isEmpty() ? estimateMillis : Math.max(estimateMillis, 10);
        }
    }

    /** Twilio echoed a mark: the audio before it, and before every earlier mark, has played. */
    void markPlayed(String name) {
        synchronized (outstanding) {
            if (!outstanding.containsKey(name)) {
                return;
            }
            for (Iterator<String> it = outstanding.keySet().iterator(); it.hasNext(); ) {
                boolean last = it.next().equals(name);
                it.remove();
                if (last) {
                    return;
                }
            }
        }
    }
}
