package io.fastrtc.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The phone callers' WebSocket client: RFC 6455 text messages over plain TCP, all Twilio Media
 * Streams needs. One selector thread reads every call's socket and hands each whole text message to
 * its call; the sender (the pacing thread) writes a call's frames straight to its non-blocking socket,
 * keeping what the socket did not take to go first next time. {@code java.net.http}'s WebSocket cost
 * the generator about 16 µs of CPU per message (futures and tasks per send, a hand-off to another
 * thread per receive), 0.1 % of a core per caller, a sixth of the two cores at 300 calls.
 */
final class PhoneLines implements AutoCloseable {

    /** What a call does with the messages it receives; called on the selector thread. */
    interface Receiver {
        /** A whole text message, bytes {@code from} to {@code to} of {@code data} (ASCII JSON here). */
        void onText(byte[] data, int from, int to, long nanos);

        /** The socket closed or failed: the call is over. */
        void onGone();
    }

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** What a call may have unsent before it counts as stuck (1.6 s of media events). */
    private static final int OUTBOX_BYTES = 1 << 15;
    private static final int INBOX_BYTES = 1 << 15;

    private final Selector selector;
    private final ConcurrentLinkedQueue<Connection> joining = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private volatile boolean closed;
    /** The longest wait of the reader between two reads that found data, since {@link #takeMaxReadGapNanos()}. */
    private volatile long maxReadGapNanos;
    private volatile boolean gapReset;

    PhoneLines() throws IOException {
        selector = Selector.open();
        reader = new Thread(this::read, "phone-lines");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a WebSocket to {@code url} ({@code ws://host:port/path}), handshake done; blocks until then. */
    Connection open(URI url, Receiver receiver) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(url.getHost(), url.getPort()));
        try {
            channel.socket().setTcpNoDelay(true);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            String request = "GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer inbox = ByteBuffer.allocate(INBOX_BYTES);
            int end;
            while ((end = headerEnd(inbox)) < 0) {
                if (!inbox.hasRemaining() || channel.read(inbox) < 0) {
                    throw new IOException("no WebSocket handshake from " + url);
                }
            }
            String head = new String(inbox.array(), 0, end, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101") || !head.contains(accept(key))) {
                throw new IOException("WebSocket handshake refused by " + url + ": " + head.lines().findFirst().orElse(""));
            }
            inbox.flip().position(end + 4).compact(); // bytes after the header are the first frames
            channel.configureBlocking(false);
            Connection connection = new Connection(channel, receiver, inbox);
            joining.add(connection);
            selector.wakeup();
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** One call's WebSocket. */
    final class Connection {
        private final SocketChannel channel;
        private final Receiver receiver;
        /** Received bytes not yet parsed, in write mode; the selector thread's. */
        private ByteBuffer inbox;
        /** A fragmented message's text so far (Jetty does not fragment these; kept for correctness). */
        private ByteBuffer fragments;
        /** Unsent frames, in write mode; guarded by this. */
        private final ByteBuffer outbox = ByteBuffer.allocate(OUTBOX_BYTES);
        private volatile boolean gone;

        private Connection(SocketChannel channel, Receiver receiver, ByteBuffer inbox) {
            this.channel = channel;
            this.receiver = receiver;
            this.inbox = inbox;
        }

        /** Sends {@code text} (ASCII) as one masked text frame; a failure ends the call. */
        void send(String text) {
            frame(0x1, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        private synchronized void frame(int opcode, byte[] payload) {
            if (gone) {
                return;
            }
            int length = payload.length;
            if (outbox.remaining() < length + 14) {
                fail(); // the server stopped reading
                return;
            }
            outbox.put((byte) (0x80 | opcode));
            if (length < 126) {
                outbox.put((byte) (0x80 | length));
            } else if (length < 65536) {
                outbox.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                outbox.put((byte) (0x80 | 127)).putLong(length);
            }
            int mask = ThreadLocalRandom.current().nextInt();
            outbox.putInt(mask);
            for (int i = 0; i < length; i++) {
                outbox.put((byte) (payload[i] ^ (mask >>> (24 - 8 * (i & 3)))));
            }
            try {
                outbox.flip();
                channel.write(outbox);
                outbox.compact();
            } catch (IOException e) {
                fail();
            }
        }

        void close() {
            gone = true;
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        private void fail() {
            if (!gone) {
                close();
                receiver.onGone();
            }
        }

        /** Reads what arrived and hands over every whole message; false once the socket is done. */
        private boolean readable() {
            try {
                if (channel.read(inbox) < 0) {
                    fail();
                    return false;
                }
            } catch (IOException e) {
                fail();
                return false;
            }
            inbox.flip();
            long now = System.nanoTime();
            while (frameIn(now)) {
                // every whole frame
            }
            inbox.compact();
            return !gone;
        }

        /** Consumes one whole frame from the inbox (read mode); false if none is whole yet. */
        private boolean frameIn(long now) {
            int start = inbox.position();
            if (inbox.remaining() < 2) {
                return false;
            }
            int b0 = inbox.get(start) & 0xff;
            int b1 = inbox.get(start + 1) & 0xff;
            int header = 2;
            long length = b1 & 0x7f;
            if (length == 126) {
                header = 4;
                length = inbox.remaining() < 4 ? -1 : inbox.getShort(start + 2) & 0xffff;
            } else if (length == 127) {
                header = 10;
                length = inbox.remaining() < 10 ? -1 : inbox.getLong(start + 2);
            }
            boolean masked = (b1 & 0x80) != 0;
            int at = start + header + (masked ? 4 : 0);
            if (length < 0 || inbox.limit() - at < length) {
                if (length > inbox.capacity() - header - 4) { // a message larger than the inbox: grow it
                    inbox = ByteBuffer.allocate((int) length + 14).put(inbox).flip();
                }
                return false;
            }
            int end = at + (int) length;
            byte[] data = inbox.array();
            if (masked) { // servers do not mask; tolerated
                for (int i = at; i < end; i++) {
                    data[i] ^= data[start + header + ((i - at) & 3)];
                }
            }
            inbox.position(end);
            int opcode = b0 & 0x0f;
            boolean fin = (b0 & 0x80) != 0;
            if (opcode == 0x8) {
                fail();
                return false;
            } else if (opcode == 0x9) {
                frame(0xA, Arrays.copyOfRange(data, at, end));
            } else if (opcode == 0x1 || opcode == 0x0) {
                if (fin && fragments == null) {
                    receiver.onText(data, at, end, now);
                } else {
                    ByteBuffer text = fragments == null ? ByteBuffer.allocate(Math.max(1024, (int) length)) : fragments;
                    if (text.remaining() < length) {
                        text = ByteBuffer.allocate(2 * (text.position() + (int) length)).put(text.flip());
                    }
                    text.put(data, at, (int) length);
                    fragments = fin ? null : text;
                    if (fin) {
                        receiver.onText(text.array(), 0, text.position(), now);
                    }
                }
            }
            return true;
        }
    }

    /** The reader's longest pause between reads with data since the last call, in ns (a starved reader shows here). */
    long takeMaxReadGapNanos() {
        long gap = maxReadGapNanos;
        gapReset = true;
        return gap;
    }

    private void read() {
        long lastRead = 0;
        try {
            while (!closed) {
                selector.select();
                long now = System.nanoTime();
                if (gapReset) {
                    gapReset = false;
                    maxReadGapNanos = 0;
                } else if (lastRead != 0 && !selector.selectedKeys().isEmpty()) {
                    maxReadGapNanos = Math.max(maxReadGapNanos, now - lastRead);
                }
                if (!selector.selectedKeys().isEmpty()) {
                    lastRead = now;
                }
                for (Connection c; (c = joining.poll()) != null; ) {
                    try {
                        c.channel.register(selector, SelectionKey.OP_READ, c);
                        c.readable(); // what arrived with the handshake
                    } catch (ClosedChannelException e) {
                        c.fail();
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && !((Connection) key.attachment()).readable()) {
                        key.cancel();
                    }
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.close();
    }

    private static int headerEnd(ByteBuffer inbox) {
        byte[] b = inbox.array();
        for (int i = 3; i < inbox.position(); i++) {
            if (b[i - 3] == '\r' && b[i - 2] == '\n' && b[i - 1] == '\r' && b[i] == '\n') {
                return i - 3;
            }
        }
        return -1;
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }
}
