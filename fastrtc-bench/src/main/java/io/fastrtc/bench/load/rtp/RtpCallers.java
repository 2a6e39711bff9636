package io.fastrtc.bench.load.rtp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many light WebRTC callers ({@link RtpCall}) in one process: one UDP socket on the namespace's
 * interface address for all of them, and one receive thread that demultiplexes every datagram (STUN
 * requests by the USERNAME's ufrag, everything else by the server's address, which differs per call)
 * and does the call's work on it: answers ICE checks, hands DTLS records to the handshake, and
 * decrypts and decodes RTP. Sending happens on the caller's thread (the pacing thread).
 */
public final class RtpCallers implements AutoCloseable {

    final DatagramChannel channel;
    final InetSocketAddress local;
    final Dtls.Identity identity = Dtls.Identity.create();
    final OpusClip clip;
    final double loud;
    final boolean gated;
    private volatile Tap tap;
    private final Map<String, RtpCall> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, RtpCall> byRemote = new ConcurrentHashMap<>();
    private final Thread receiver;

    /**
     * Callers saying {@code clip}, that count a received packet whose decoded RMS exceeds {@code loud}
     * as loud; {@code gated}: their {@link OpusEar}s skip settled silence.
     */
    public RtpCallers(OpusClip clip, double loud, boolean gated) throws IOException {
        this.clip = clip;
        this.loud = loud;
        this.gated = gated;
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
        channel.bind(new InetSocketAddress(interfaceAddress(), 0));
        local = (InetSocketAddress) channel.getLocalAddress();
        receiver = new Thread(this::receive, "rtp-callers-receive");
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * The first IPv4 address of an interface that is up and not loopback: libwebrtc gathers no
     * loopback candidates, so our host candidate must be where its own are (the namespace's veth).
     */
    static InetAddress interfaceAddress() throws SocketException {
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp() && !nif.isLoopback()) {
                for (InetAddress a : nif.inetAddresses().toList()) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        throw new IllegalStateException("no IPv4 interface but loopback: run inside the network namespace"
                + " (scripts/netns/bin/java)");
    }

    /** Offers to {@code url} (FastRTC's {@code /webrtc/offer}), connects, and returns the call. */
    public RtpCall call(String url, String webrtcId, int ssrc) throws Exception {
        return new RtpCall(this, url, webrtcId, ssrc);
    }

    /** Sees every received Opus packet (on the receive thread), e.g. to record a call. */
    public interface Tap {
        void packet(RtpCall call, byte[] opus);
    }

    public void tap(Tap tap) {
        this.tap = tap;
    }

    void tap(RtpCall call, byte[] b, int offset, int length) {
        Tap t = tap;
        if (t != null) {
            t.packet(call, java.util.Arrays.copyOfRange(b, offset, offset + length));
        }
    }

    void register(String ufrag, InetSocketAddress remote, RtpCall call) {
        byUfrag.put(ufrag, call);
        byRemote.put(remote, call);
    }

    void unregister(String ufrag, InetSocketAddress remote) {
        byUfrag.remove(ufrag);
        byRemote.remove(remote);
    }

    void send(byte[] b, int len, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(b, 0, len), to);
        } catch (IOException e) {
            // A full buffer or a closed socket loses this datagram, as UDP would.
        }
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        byte[] b = buf.array();
        while (channel.isOpen()) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                int len = buf.position();
                RtpCall call;
                if (Stun.isStun(b, len) && Stun.type(b) == Stun.BINDING_REQUEST) {
                    String user = Stun.username(b, len);
                    int colon = user == null ? -1 : user.indexOf(':');
                    call = colon < 0 ? null : byUfrag.get(user.substring(0, colon));
                } else {
                    call = byRemote.get(from);
                }
                if (call != null) {
                    call.received(b, len, from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // One bad datagram never stops the other calls.
            }
        }
    }

    /**
     * Datagrams the kernel dropped because our socket's receive buffer was full (the {@code drops}
     * column of {@code /proc/net/udp}): the receive thread fell behind. -1 if unknown.
     */
    public long socketDrops() {
        String port = String.format(":%04X", local.getPort());
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/udp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 12 && f[1].endsWith(port)) {
                    return Long.parseLong(f[f.length - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
