package io.fastrtc.bench.load.rtp;

import io.fastrtc.testing.Signaling;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One light WebRTC caller: an audio-only offer (Opus, rtcp-mux, our host candidate, {@code
 * a=setup:actpass}), ICE as the controlling agent (aggressive nomination: USE-CANDIDATE on the one
 * check, to the server's candidate on our own address), the DTLS-SRTP handshake as DTLS server (the
 * answer takes {@code active}), then pre-encoded Opus out (continuous transmission, 20 ms packets,
 * no RTCP: libwebrtc needs none to play what it gets) and judged Opus in. The connecting thread blocks
 * in the constructor until the handshake is done (FastRTC sends no audio before its first reply);
 * afterwards one pacing thread calls {@link #speak} or {@link #silence} every 10 ms and the receive
 * thread of {@link RtpCallers} does the rest, including answering the server's consent checks.
 */
public final class RtpCall implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PAYLOAD_TYPE = 111;
    private static final long CONNECT_TIMEOUT_MS = 20_000;
    /** libwebrtc checks consent every few seconds and sends audio all the time: this long without any is a drop. */
    private static final long SILENT_DROP_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final RtpCallers hub;
    private final String ufrag = token(8);
    private final String pwd = token(24);
    private final long tieBreaker = RANDOM.nextLong();
    private final int ssrc;
    private final Answer answer;
    private final InetSocketAddress remote;
    private final byte[] checkTransaction = new byte[12];
    private final CompletableFuture<Void> iceDone = new CompletableFuture<>();
    private final Dtls.Transport dtls;
    private final OpusEar ear;
    private final byte[] out = new byte[1500];
    private volatile Dtls.Keys keys;
    private volatile boolean loud;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean closed;
    private int seq = RANDOM.nextInt(0x10000);
    private int timestamp = RANDOM.nextInt();
    private boolean marker = true;
    private boolean half;
    private int next;

    RtpCall(RtpCallers hub, String url, String webrtcId, int ssrc) throws Exception {
        this.hub = hub;
        this.ssrc = ssrc;
        ear = new OpusEar(hub.loud, hub.gated);
        dtls = new Dtls.Transport() {
            @Override
            public void send(byte[] buf, int off, int len) {
                hub.send(Arrays.copyOfRange(buf, off, off + len), len, remote);
            }
        };
        Signaling.Reply reply = Signaling.offer(url, webrtcId, offer());
        if (!reply.isAnswer()) {
            throw new IllegalStateException(webrtcId + ": refused: " + reply);
        }
        answer = Answer.parse(reply.json().get("sdp").asText());
        remote = answer.candidate(hub.local);
        hub.register(ufrag, remote, this);
        try {
            connect(webrtcId);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void connect(String webrtcId) throws Exception {
        long deadline = System.currentTimeMillis() + CONNECT_TIMEOUT_MS;
        RANDOM.nextBytes(checkTransaction);
        byte[] check = Stun.bindingRequest(checkTransaction, answer.ufrag, ufrag, answer.pwd,
                (110 << 24) | (65535 << 8) | 255, tieBreaker);
        while (!iceDone.isDone()) { // RFC 8445's retransmissions, simplified: every 50 ms until answered
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(webrtcId + ": no ICE answer from " + remote);
            }
            hub.send(check, check.length, remote);
            try {
                iceDone.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // send again
            }
        }
        keys = Dtls.handshake(hub.identity, dtls, answer.fingerprint);
    }

    private String offer() {
        InetSocketAddress local = hub.local;
        String host = local.getAddress().getHostAddress();
        String cname = token(12);
        return String.join("\r\n",
                "v=0",
                "o=- " + (RANDOM.nextLong() >>> 1) + " 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "a=msid-semantic: WMS caller",
                "m=audio " + local.getPort() + " UDP/TLS/RTP/SAVPF " + PAYLOAD_TYPE,
                "c=IN IP4 " + host,
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=candidate:1 1 udp 2122260223 " + host + " " + local.getPort() + " typ host generation 0",
                "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:" + pwd,
                "a=fingerprint:sha-256 " + hub.identity.fingerprint(),
                "a=setup:actpass",
                "a=mid:0",
                "a=sendrecv",
                "a=msid:caller mic",
                "a=rtcp-mux",
                "a=rtpmap:" + PAYLOAD_TYPE + " opus/48000/2",
                "a=fmtp:" + PAYLOAD_TYPE + " minptime=10;useinbandfec=1",
                "a=ssrc:" + Integer.toUnsignedString(ssrc) + " cname:" + cname,
                "a=ssrc:" + Integer.toUnsignedString(ssrc) + " msid:caller mic",
                "") ;
    }

    private static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** On the receive thread: one datagram from the server (or, for a STUN request, addressed to our ufrag). */
    void received(byte[] b, int len, InetSocketAddress from) {
        int kind = b[0] & 0xff; // RFC 7983's demultiplexing
        if (kind < 4) {
            if (!Stun.isStun(b, len)) {
                return;
            }
            int type = Stun.type(b);
            if (type == Stun.BINDING_REQUEST && Stun.verify(b, len, pwd)) {
                lastHeard = System.nanoTime();
                byte[] ok = Stun.bindingSuccess(Stun.transactionId(b), from, pwd);
                hub.send(ok, ok.length, from);
            } else if (type == Stun.BINDING_SUCCESS && Arrays.equals(b, 8, 20, checkTransaction, 0, 12)
                    && Stun.verify(b, len, answer.pwd)) {
                iceDone.complete(null);
            }
        } else if (kind >= 20 && kind <= 63) {
            dtls.deliver(Arrays.copyOf(b, len));
        } else if (kind >= 128 && kind <= 191 && len >= 12) {
            int pt = b[1] & 0x7f;
            Dtls.Keys k = keys;
            if (k == null || (pt >= 64 && pt <= 95)) { // RFC 5761: RTCP's types 192-223 read as 64-95 here
                return;
            }
            int n = k.receive().unprotect(b, len);
            if (n < 0) {
                return;
            }
            lastHeard = System.nanoTime();
            int header = Srtp.headerLength(b, n);
            int end = (b[0] & 0x20) != 0 ? n - (b[n - 1] & 0xff) : n; // padding
            if (end > header) {
                hub.tap(this, b, header, end - header);
                loud |= ear.hear(b, header, end - header);
            }
        }
    }

    /** Starts the utterance from its beginning. */
    public void rewind() {
        next = 0;
    }

    /** One 10 ms tick of the utterance (a packet every other tick); false once it was all sent. */
    public boolean speak() {
        byte[][] speech = hub.clip.speech;
        if (next >= speech.length) {
            return false;
        }
        if (half) {
            send(speech[next++]);
        }
        half = !half;
        return true;
    }

    /** One 10 ms tick of silence. */
    public void silence() {
        if (half) {
            send(hub.clip.silence);
        }
        half = !half;
    }

    private void send(byte[] opus) {
        Dtls.Keys k = keys;
        if (k == null || closed) {
            return;
        }
        out[0] = (byte) 0x80;
        out[1] = (byte) ((marker ? 0x80 : 0) | PAYLOAD_TYPE); // the stream's first packet
        marker = false;
        out[2] = (byte) (seq >>> 8);
        out[3] = (byte) seq;
        out[4] = (byte) (timestamp >>> 24);
        out[5] = (byte) (timestamp >>> 16);
        out[6] = (byte) (timestamp >>> 8);
        out[7] = (byte) timestamp;
        out[8] = (byte) (ssrc >>> 24);
        out[9] = (byte) (ssrc >>> 16);
        out[10] = (byte) (ssrc >>> 8);
        out[11] = (byte) ssrc;
        System.arraycopy(opus, 0, out, 12, opus.length);
        int len = k.send().protect(out, 12 + opus.length);
        hub.send(out, len, remote);
        seq = (seq + 1) & 0xffff;
        timestamp += OpusClip.FRAME_SAMPLES;
    }

    /** Whether loud audio arrived since the last call. */
    public boolean heardLoud() {
        boolean l = loud;
        if (l) {
            loud = false;
        }
        return l;
    }

    /** How many received packets this caller decoded, and how many its gated ear skipped as settled silence. */
    public long[] decodedSkipped() {
        return new long[] {ear.decoded(), ear.skipped()};
    }

    /** Whether the server went quiet (no audio, no consent check) for 10 s, or the call was closed. */
    public boolean dropped() {
        return closed || System.nanoTime() - lastHeard > SILENT_DROP_NANOS;
    }

    @Override
    public void close() {
        closed = true;
        hub.unregister(ufrag, remote);
    }

    /** What the caller needs from the server's answer. */
    record Answer(String ufrag, String pwd, String fingerprint, String setup, List<InetSocketAddress> candidates) {
        static Answer parse(String sdp) {
            String ufrag = null;
            String pwd = null;
            String fingerprint = null;
            String setup = null;
            List<InetSocketAddress> candidates = new ArrayList<>();
            for (String line : sdp.split("\r?\n")) {
                if (line.startsWith("a=ice-ufrag:")) {
                    ufrag = line.substring(12).trim();
                } else if (line.startsWith("a=ice-pwd:")) {
                    pwd = line.substring(10).trim();
                } else if (line.startsWith("a=fingerprint:sha-256 ")) {
                    fingerprint = line.substring(22).trim();
                } else if (line.startsWith("a=setup:")) {
                    setup = line.substring(8).trim();
                } else if (line.startsWith("a=candidate:")) {
                    String[] f = line.substring(12).trim().split(" ");
                    // foundation component transport priority address port typ type
                    if (f.length >= 8 && f[1].equals("1") && f[2].equalsIgnoreCase("udp") && f[7].equals("host")
                            && !f[4].contains(":")) {
                        candidates.add(new InetSocketAddress(f[4], Integer.parseInt(f[5])));
                    }
                }
            }
            if (ufrag == null || pwd == null || fingerprint == null || candidates.isEmpty()) {
                throw new IllegalArgumentException("answer lacks ICE credentials, a sha-256 fingerprint or an IPv4"
                        + " host candidate: " + sdp);
            }
            if (!"active".equals(setup)) {
                throw new IllegalArgumentException("the answer's DTLS role is " + setup + ", not active");
            }
            return new Answer(ufrag, pwd, fingerprint, setup, List.copyOf(candidates));
        }

        /** The server's candidate on our own address if it has one (same interface), else its first. */
        InetSocketAddress candidate(InetSocketAddress local) {
            return candidates.stream().filter(c -> c.getAddress().equals(local.getAddress())).findFirst()
                    .orElse(candidates.get(0));
        }
    }
}
