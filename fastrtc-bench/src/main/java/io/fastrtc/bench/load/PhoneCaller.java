package io.fastrtc.bench.load;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.MuLaw;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Random;

/**
 * A phone call of {@link ScaleClient}: Twilio Media Streams over a WebSocket, as Twilio sends it
 * ({@code connected}, {@code start}, 20 ms µ-law {@code media} events, marks echoed once the audio
 * before them has played, at once on {@code clear}). The µ-law of the utterance is encoded once for
 * all callers, and every call's WebSocket is served by one {@link PhoneLines}; the speaker only keeps
 * the time its buffer runs out and whether loud audio came.
 */
final class PhoneCaller extends ScaleClient.Caller {

    /** What every call shares: one WebSocket client, the utterance as base64 µ-law in 20 ms chunks. */
    static final class Line implements AutoCloseable {
        final PhoneLines sockets;
        final String[] utterance;
        final String silence;

        Line(AudioFrame speech) {
            try {
                sockets = new PhoneLines();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            short[] pcm = speech.toMono().resample(8000).toPcm16();
            utterance = new String[pcm.length / 160];
            for (int i = 0; i < utterance.length; i++) {
                short[] chunk = new short[160];
                System.arraycopy(pcm, 160 * i, chunk, 0, 160);
                utterance[i] = Base64.getEncoder().encodeToString(MuLaw.encode(chunk));
            }
            silence = Base64.getEncoder().encodeToString(MuLaw.encode(new short[160]));
        }

        @Override
        public void close() throws IOException {
            sockets.close();
        }
    }

    private static final double LOUD_MULAW = 1500;

    private final Line line;
    private final String sid;
    private final PhoneLines.Connection socket;
    private int next;
    private int sequence;
    private int chunk;
    // The speaker, touched by the socket's listener and the pacing thread.
    private volatile boolean loud;
    private volatile boolean gone;
    private long playEnd;
    private final ArrayDeque<Object[]> marks = new ArrayDeque<>(); // {due nanos, name}

    PhoneCaller(Line line, String url, String sid, Random random) throws Exception {
        super(random);
        this.line = line;
        this.sid = sid;
        socket = line.sockets.open(URI.create(url), new PhoneLines.Receiver() {
            @Override
            public void onText(byte[] data, int from, int to, long nanos) {
                onMessage(new String(data, from, to - from, StandardCharsets.ISO_8859_1), nanos);
            }

            @Override
            public void onGone() {
                gone = true;
            }
        });
        send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        send("{\"event\":\"start\",\"sequenceNumber\":\"" + (++sequence) + "\",\"start\":{\"accountSid\":"
                + "\"AC00000000000000000000000000000000\",\"streamSid\":\"" + sid + "\",\"callSid\":"
                + "\"CA00000000000000000000000000000001\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":"
                + "\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1},\"customParameters\":{}},\"streamSid\":\""
                + sid + "\"}");
    }

    private void send(String text) {
        socket.send(text);
    }

    private void media(String payload) {
        chunk++;
        send("{\"event\":\"media\",\"sequenceNumber\":\"" + (++sequence) + "\",\"media\":{\"track\":\"inbound\","
                + "\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + chunk * 20 + "\",\"payload\":\"" + payload
                + "\"},\"streamSid\":\"" + sid + "\"}");
        echoDueMarks(System.nanoTime());
    }

    @Override
    void rewind() {
        next = 0;
    }

    @Override
    boolean speak() {
        if (next >= line.utterance.length) {
            return false;
        }
        media(line.utterance[next++]);
        return true;
    }

    @Override
    void silence() {
        media(line.silence);
    }

    @Override
    boolean heardLoud() {
        boolean was = loud;
        loud = false;
        return was;
    }

    @Override
    int tickMillis() {
        return 20;
    }

    @Override
    boolean dropped() {
        return gone;
    }

    @Override
    void close() {
        gone = true;
        socket.close();
    }

    private void echoDueMarks(long now) {
        while (true) {
            String name;
            synchronized (marks) {
                if (marks.isEmpty() || (long) marks.peek()[0] > now) {
                    return;
                }
                name = (String) marks.poll()[1];
            }
            send("{\"event\":\"mark\",\"sequenceNumber\":\"" + (++sequence) + "\",\"mark\":{\"name\":\"" + name
                    + "\"},\"streamSid\":\"" + sid + "\"}");
        }
    }

    private void onMessage(String text, long now) {
        if (text.startsWith("{\"event\":\"media\"")) {
            int at = text.indexOf("\"payload\":\"") + 11;
            byte[] mulaw = Base64.getDecoder().decode(text.substring(at, text.indexOf('"', at)));
            double sum = 0;
            for (byte b : mulaw) {
                double s = MuLaw.decode(b);
                sum += s * s;
            }
            if (mulaw.length > 0 && Math.sqrt(sum / mulaw.length) > LOUD_MULAW) {
                loud = true;
            }
            synchronized (marks) {
                playEnd = Math.max(playEnd, now) + mulaw.length * 125_000L; // 8 kHz
            }
        } else if (text.startsWith("{\"event\":\"mark\"")) {
            int at = text.indexOf("\"name\":\"") + 8;
            String name = text.substring(at, text.indexOf('"', at));
            synchronized (marks) {
                marks.add(new Object[] {Math.max(playEnd, now), name});
            }
        } else if (text.startsWith("{\"event\":\"clear\"")) {
            synchronized (marks) {
                playEnd = now;
                for (Object[] m : marks) {
                    m[0] = now; // Twilio echoes every pending mark on clear
                }
            }
        }
    }
}
