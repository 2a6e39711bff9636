package io.fastrtc.speech.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.LiveTranscription;
import io.fastrtc.speech.Transcript;
import io.fastrtc.speech.socket.SpeechServiceException;
import io.fastrtc.speech.socket.SpeechSocket;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream to Deepgram, from {@link DeepgramSpeechToText#live}. {@link #finish} sends
 * {@code CloseStream} and waits for the last {@code Results} and the closing {@code Metadata};
 * {@link #finalizeNow} sends {@code Finalize} to get final words for what was sent so far
 * without ending the stream.
 */
public final class DeepgramTranscription implements LiveTranscription {

    private static final Logger LOG = LoggerFactory.getLogger(DeepgramTranscription.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Close codes after which a new connection may succeed: dropped, going away, server error, restart, try later. */
    private static final long PROBE_MILLIS = 500;
    private static final Set<Integer> TRANSIENT = Set.of(SpeechSocket.DROPPED, 1001, 1011, 1012, 1013, 1014);

    private final DeepgramSpeechToText client;
    private final Consumer<Transcript> listener;
    private final ReentrantLock calls = new ReentrantLock(); // send, finish and reconnect, in order
    private final StringJoiner finals = new StringJoiner(" ");
    /** Audio sent on the current connection that no final result covers yet, to send again after a drop. */
    private final ArrayDeque<short[]> unconfirmed = new ArrayDeque<>();
    private long unconfirmedStart; // its first sample, counted on the current connection
    private volatile Connection connection;
    private int reconnectsLeft;
    private boolean finishing;
    private volatile boolean closed;

    /** A socket and how it ended. */
    private record Connection(SpeechSocket socket, CompletableFuture<End> end) {
    }

    private record End(int code, String reason) {
    }

    DeepgramTranscription(DeepgramSpeechToText client, Consumer<Transcript> listener) {
        this.client = client;
        this.listener = listener;
        this.reconnectsLeft = client.reconnects;
        connection = connect();
    }

    private Connection connect() {
        CompletableFuture<End> end = new CompletableFuture<>();
        SpeechSocket socket = SpeechSocket.open(client.http, client.uri(), client.headers(), client.timeout,
                DeepgramSpeechToText.SERVICE, new SpeechSocket.Events() {
                    @Override
                    public void text(String message) {
                        onMessage(message);
                    }

                    @Override
                    public void closed(int code, String reason) {
                        end.complete(new End(code, reason));
                    }
                });
        socket.keepAlive(client.keepAlive, "{\"type\":\"KeepAlive\"}");
        return new Connection(socket, end);
    }

    @Override
    public void send(AudioFrame audio) {
        Objects.requireNonNull(audio, "audio");
        short[] samples = audio.toMono().resample(client.sampleRate).toPcm16();
        if (samples.length == 0) {
            return; // an empty binary message would end the stream
        }
        calls.lock();
        try {
            checkOpen();
            usable();
            synchronized (unconfirmed) {
                unconfirmed.addLast(samples);
            }
            connection.socket().sendBinary(AudioFrame.ofPcm16(client.sampleRate, 1, samples).toBytes());
            // a failed send shows as the connection's end, handled by the next call
        } finally {
            calls.unlock();
        }
    }

    /**
     * Asks Deepgram for final words for all audio sent so far ({@code Finalize}); they arrive at
     * the listener, marked final. The stream stays open.
     */
    public void finalizeNow() {
        calls.lock();
        try {
            checkOpen();
            usable();
            connection.socket().sendText("{\"type\":\"Finalize\"}");
        } finally {
            calls.unlock();
        }
    }

    @Override
    public String finish() {
        calls.lock();
        try {
            checkOpen();
            finishing = true;
            while (true) {
                usable();
                Connection c = connection;
                c.socket().sendText("{\"type\":\"CloseStream\"}");
                End end = awaitEnd(c);
                if (end.code() == 1000) {
                    synchronized (finals) {
                        return finals.toString();
                    }
                }
                // dropped while finishing: usable() reconnects and sends the unfinished audio again
            }
        } finally {
            closeNow();
            calls.unlock();
        }
    }

    /** Waits for the end of {@code c}, pinging now and then so that a vanished peer shows as a drop. */
    private End awaitEnd(Connection c) {
        long deadline = System.nanoTime() + client.timeout.toNanos();
        while (true) {
            try {
                return c.end().get(PROBE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() >= deadline) {
                    throw new SpeechServiceException(0, 0, "Deepgram did not finish the transcript within "
                            + client.timeout.toMillis() + " ms of CloseStream (the timeout is set with timeout(...))", e);
                }
                c.socket().ping();
            } catch (ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new SpeechServiceException(0, 0, "interrupted while waiting for Deepgram's last words", e);
            }
        }
    }

    /** Makes sure the connection is alive: reconnects after a transient drop, throws after a fatal close. */
    private void usable() {
        End end = connection.end().getNow(null);
        if (end == null) {
            return;
        }
        boolean normalButEarly = end.code() == 1000 && !finishing;
        if (!TRANSIENT.contains(end.code()) && !normalButEarly) {
            throw new SpeechServiceException(0, end.code(), "Deepgram closed the stream with " + end.code() + " "
                    + end.reason() + " (" + explain(end) + ")", null);
        }
        if (reconnectsLeft == 0) {
            throw new SpeechServiceException(0, end.code(), "the connection to Deepgram was lost (" + end.code() + " "
                    + end.reason() + ") and no reconnect is left (set with reconnects(...))", null);
        }
        reconnectsLeft--;
        connection.socket().close();
        connection = connect(); // a refused key or a rate limit throws from here, as for the first connection
        short[][] again;
        synchronized (unconfirmed) {
            again = unconfirmed.toArray(new short[0][]);
            unconfirmedStart = 0;
        }
        for (short[] s : again) {
            connection.socket().sendBinary(AudioFrame.ofPcm16(client.sampleRate, 1, s).toBytes());
        }
        LOG.info("Deepgram connection lost ({} {}); reconnected and sent {} ms of unfinished audio again",
                end.code(), end.reason(), Arrays.stream(again).mapToLong(s -> s.length).sum() * 1000 / client.sampleRate);
    }

    private static String explain(End end) {
        String reason = end.reason() == null ? "" : end.reason();
        if (reason.startsWith("DATA-")) {
            return "the audio could not be decoded: it must be 16-bit little-endian mono PCM at the sample rate"
                    + " the query names";
        }
        if (reason.startsWith("NET-0001")) {
            return "Deepgram heard no audio or KeepAlive in time";
        }
        return end.code() == 1008 ? "the request broke a policy of the service, e.g. a bad parameter or a quota"
                : "see Deepgram's error documentation for the code";
    }

    private void onMessage(String message) {
        JsonNode json;
        try {
            json = JSON.readTree(message);
        } catch (IOException e) {
            LOG.debug("Deepgram sent a message that is not JSON ({} chars)", message.length());
            return;
        }
        switch (json.path("type").asText()) {
            case "Results" -> {
                String text = json.path("channel").path("alternatives").path(0).path("transcript").asText("").strip();
                boolean isFinal = json.path("is_final").asBoolean(false);
                boolean endOfSpeech = json.path("speech_final").asBoolean(false);
                if (isFinal) {
                    confirm(json.path("start").asDouble(0) + json.path("duration").asDouble(0));
                    if (!text.isEmpty()) {
                        synchronized (finals) {
                            finals.add(text);
                        }
                    }
                }
                if (!text.isEmpty() || endOfSpeech) {
                    listener.accept(new Transcript(text, isFinal, endOfSpeech));
                }
            }
            case "UtteranceEnd" -> listener.accept(new Transcript("", true, true));
            default -> {
                // Metadata, SpeechStarted and future types carry no words
            }
        }
    }

    /** Drops the audio a final result covers, up to {@code seconds} into the current connection. */
    private void confirm(double seconds) {
        long upTo = Math.round(seconds * client.sampleRate);
        synchronized (unconfirmed) {
            while (!unconfirmed.isEmpty() && unconfirmedStart + unconfirmed.peekFirst().length <= upTo) {
                unconfirmedStart += unconfirmed.removeFirst().length;
            }
            if (!unconfirmed.isEmpty() && upTo > unconfirmedStart) {
                short[] first = unconfirmed.removeFirst();
                unconfirmed.addFirst(Arrays.copyOfRange(first, (int) (upTo - unconfirmedStart), first.length));
                unconfirmedStart = upTo;
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this transcription was finished or closed; open another with live(...)");
        }
    }

    private void closeNow() {
        closed = true;
        connection.socket().close();
        synchronized (unconfirmed) {
            unconfirmed.clear();
        }
    }

    /** Abandons the stream and releases its connection; idempotent, from any thread. */
    @Override
    public void close() {
        closed = true;
        connection.socket().close(); // a sender blocked on it returns at once
    }

    @Override
    public String toString() {
        return "DeepgramTranscription[" + client.baseUrl + (closed ? ", closed" : "") + "]";
    }
}
