package io.fastrtc.speech.elevenlabs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.LiveSpeech;
import io.fastrtc.speech.socket.SpeechServiceException;
import io.fastrtc.speech.socket.SpeechSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reply spoken by ElevenLabs, from {@link ElevenLabsTextToSpeech#live}: its own socket, opened
 * at once. {@link #finish} sends what is left with {@code flush} and then the empty text that ends
 * the input; the audio ends with ElevenLabs' {@code isFinal}. {@link #close} drops the socket.
 */
public final class ElevenLabsSpeech implements LiveSpeech {

    private static final Logger LOG = LoggerFactory.getLogger(ElevenLabsSpeech.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object END = new Object();
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?][\"')\\]]*\\s+");
    private static final Object RETRY = new Object();
    /** Close codes after which a new socket may succeed: dropped, going away, server error, restart, try later. */
    private static final Set<Integer> TRANSIENT = Set.of(SpeechSocket.DROPPED, 1001, 1011, 1012, 1013, 1014);
    /** ElevenLabs closes a socket after 20 s without text; a single space keeps it open. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ElevenLabsTextToSpeech client;
    // Writing side: the text, the socket and reconnecting, in order.
    private final ReentrantLock writer = new ReentrantLock();
    private final StringBuilder unsent = new StringBuilder(); // a word still being written
    private final StringBuilder sent = new StringBuilder(); // to send again after an early drop
    private volatile Connection connection;
    private volatile int reconnectsLeft;
    private volatile boolean finished;
    // Reading side: what came back, in order.
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition arrived = queueLock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private volatile boolean closed;

    ElevenLabsSpeech(ElevenLabsTextToSpeech client) {
        this.client = client;
        this.reconnectsLeft = client.reconnects;
        connection = new Connection();
    }

    @Override
    public void append(String text) {
        Objects.requireNonNull(text, "text");
        writer.lock();
        try {
            if (closed || finished) {
                return;
            }
            unsent.append(text);
            int cut = lastSpace(unsent) + 1;
            if (cut > 0) {
                String piece = unsent.substring(0, cut);
                unsent.delete(0, cut);
                sendText(piece);
            }
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void finish() {
        writer.lock();
        try {
            if (closed || finished) {
                return;
            }
            finished = true;
            sendText(unsent.toString());
            unsent.setLength(0);
            endInput();
        } finally {
            writer.unlock();
        }
    }

    /** The empty text: the rest is spoken, then the socket closes; nothing may follow, not even a keep-alive. */
    private void endInput() {
        connection.socket.stopKeepAlive();
        connection.socket.sendText("{\"text\":\"\"}");
    }

    private static int lastSpace(CharSequence text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sends whole words, each message ending in one space as ElevenLabs asks; what ends a sentence
     * goes with {@code flush}, so that it is spoken now rather than when more text has come.
     */
    private void sendText(String words) {
        Matcher m = SENTENCE_END.matcher(words);
        int end = 0;
        while (m.find()) {
            end = m.end();
        }
        send(words.substring(0, end), true);
        send(words.substring(end), finished);
    }

    private void send(String words, boolean flush) {
        if (words.isBlank()) {
            return;
        }
        String text = words.strip() + " ";
        sent.append(text);
        connection.socket.sendText(textMessage(text, flush));
    }

    private static String textMessage(String text, boolean flush) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        if (flush) {
            m.put("flush", true);
        }
        return json(m);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // maps of strings, numbers and booleans always serialise
        }
    }

    @Override
    public boolean hasNext() {
        long timeout = client.timeout.toNanos();
        queueLock.lock();
        try {
            while (!closed) {
                Object head = queue.peekFirst();
                if (head instanceof AudioFrame) {
                    return true;
                }
                if (head == END) {
                    break;
                }
                if (head instanceof SpeechServiceException failure) {
                    queue.clear();
                    queue.add(END);
                    release();
                    throw failure;
                }
                if (head == RETRY) {
                    queue.removeFirst();
                    queueLock.unlock();
                    try {
                        reconnect();
                    } finally {
                        queueLock.lock();
                    }
                    continue;
                }
                if (finished && timeout <= 0) {
                    queue.add(new SpeechServiceException(0, 0, "no audio from ElevenLabs for "
                            + client.timeout.toMillis() + " ms (the timeout is set with timeout(...))", null));
                    continue;
                }
                try {
                    long waited = PROBE_NANOS - arrived.awaitNanos(PROBE_NANOS);
                    if (finished) {
                        timeout -= waited; // the text is all in: the deadline runs
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    continue;
                }
                if (queue.isEmpty() && !closed) {
                    queueLock.unlock(); // a vanished peer shows only when written to
                    try {
                        connection.socket.ping();
                    } finally {
                        queueLock.lock();
                    }
                }
            }
        } finally {
            queueLock.unlock();
        }
        release();
        return false;
    }

    @Override
    public AudioFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        queueLock.lock();
        try {
            return (AudioFrame) queue.removeFirst();
        } finally {
            queueLock.unlock();
        }
    }

    private void offer(Connection from, Object item) {
        queueLock.lock();
        try {
            if (!from.replaced && !closed) {
                queue.add(item);
                arrived.signalAll();
            }
        } finally {
            queueLock.unlock();
        }
    }

    /** A new socket for a reply whose socket dropped before any audio: the same text again. */
    private void reconnect() {
        writer.lock();
        try {
            if (closed) {
                return;
            }
            reconnectsLeft--;
            Connection old = connection;
            old.socket.close();
            try {
                connection = new Connection();
            } catch (SpeechServiceException e) {
                offer(old, e); // the reader gets the refusal
                return;
            }
            old.replaced = true;
            if (sent.length() > 0) {
                connection.socket.sendText(textMessage(sent.toString(), true));
            }
            if (finished) {
                endInput();
            }
            LOG.info("ElevenLabs socket lost before any audio; sent the reply again on a new one");
        } finally {
            writer.unlock();
        }
    }

    private void release() {
        connection.socket.close();
    }

    /** Stops the reply at once and releases its socket; idempotent, from any thread. */
    @Override
    public void close() {
        closed = true;
        queueLock.lock();
        try {
            queue.clear();
            arrived.signalAll();
        } finally {
            queueLock.unlock();
        }
        release();
    }

    @Override
    public String toString() {
        return "ElevenLabsSpeech[" + client.baseUrl + (closed ? ", closed" : "") + "]";
    }

    /** One socket and what came back on it. */
    private final class Connection implements SpeechSocket.Events {
        final SpeechSocket socket;
        volatile boolean replaced; // what still arrives on it is ignored
        private int pieces; // of audio; after the first, a drop cannot be repaired by sending the text again
        private int carry = -1; // an odd byte left from the last piece
        private String error; // ElevenLabs' own explanation, sent before it closes
        private boolean done;

        Connection() {
            socket = SpeechSocket.open(client.http, client.uri(), client.headers(), client.timeout,
                    ElevenLabsTextToSpeech.SERVICE, this);
            socket.keepAlive(KEEP_ALIVE, "{\"text\":\" \"}");
            socket.sendText(json(client.initialMessage()));
        }

        @Override
        public void text(String message) {
            JsonNode json;
            try {
                json = JSON.readTree(message);
            } catch (IOException e) {
                LOG.debug("ElevenLabs sent a message that is not JSON ({} chars)", message.length());
                return;
            }
            if (json.path("message").isTextual() || json.path("error").isTextual()) {
                error = json.path("message").asText(json.path("error").asText());
            }
            String audio = json.path("audio").asText("");
            if (!audio.isEmpty()) {
                byte[] bytes = Base64.getDecoder().decode(audio);
                pieces++;
                AudioFrame frame = pcm(bytes);
                if (!frame.isEmpty()) {
                    offer(this, frame);
                }
            }
            if (json.path("isFinal").asBoolean(false)) {
                done = true;
                offer(this, END);
            }
        }

        /** 16-bit little-endian samples, keeping an odd last byte for the next piece. */
        private AudioFrame pcm(byte[] bytes) {
            int start = carry >= 0 ? -1 : 0;
            int total = bytes.length + (carry >= 0 ? 1 : 0);
            byte[] even = new byte[total & ~1];
            for (int i = 0; i < even.length; i++) {
                int j = i + start;
                even[i] = j < 0 ? (byte) carry : bytes[j];
            }
            carry = (total & 1) == 1 ? bytes[bytes.length - 1] & 0xff : -1;
            return AudioFrame.fromBytes(client.sampleRate, 1, even);
        }

        @Override
        public void closed(int code, String reason) {
            if (done) {
                return;
            }
            done = true;
            String why = error != null ? error : reason;
            if (code == 1000 && finished) {
                offer(this, END);
            } else if (pieces == 0 && reconnectsLeft > 0 && TRANSIENT.contains(code)) {
                offer(this, RETRY);
            } else {
                String what = code == SpeechSocket.DROPPED ? "the connection was lost"
                        : "ElevenLabs closed the socket with " + code;
                offer(this, new SpeechServiceException(0, code, (pieces == 0 ? "" : "after " + pieces
                        + " audio message(s) from ElevenLabs, ") + what + (why == null || why.isBlank() ? "" : ": " + why)
                        + " (" + hint(code) + ")", null));
            }
        }

        private String hint(int code) {
            if (code == 1008) {
                return "the service refused the request: check the key, the quota and the voice and model ids";
            }
            if (code == 1000) {
                return "closed before the reply was finished; ElevenLabs closes sockets idle for 20 s";
            }
            return TRANSIENT.contains(code) ? "the connection failed; try again" : "see ElevenLabs' WebSocket documentation";
        }
    }
}
