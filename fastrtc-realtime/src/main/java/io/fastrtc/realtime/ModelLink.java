package io.fastrtc.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to a model. The JDK client allows one send at a time, so sends are
 * chained; audio is dropped instead of queueing without bound when the model does not keep up.
 * Whatever ends the connection (our close, the server's, an error) is reported once.
 */
final class ModelLink {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLink.class);
    /** Sends in flight beyond which caller audio is dropped (about 2 s of 20 ms frames). */
    static final int MAX_PENDING_AUDIO = 100;
    private static final long CLOSE_GRACE_MILLIS = 2000;
    /** A model message larger than this (in characters) ends the connection instead of filling the heap. */
    static final int MAX_MESSAGE_CHARS = 16 << 20;

    /** What happens on the connection. */
    interface Listener {
        /** The handshake succeeded; called before any message. */
        void onOpen(ModelLink link);

        void onMessage(ModelLink link, JsonNode message);

        /** The connection ended without {@link #close()}: lost, or refused ({@code failure}); called once. */
        void onLost(ModelLink link, Protocol.Failure failure, String detail);
    }

    private final Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);

    private ModelLink(Listener listener) {
        this.listener = listener;
    }

    /** Starts connecting; the link reports through {@code listener} (a failed handshake as {@code onLost}). */
    static ModelLink open(HttpClient client, Protocol protocol, Duration timeout, Listener listener) {
        ModelLink link = new ModelLink(listener);
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(timeout);
        protocol.headers().forEach(builder::header);
        builder.buildAsync(protocol.uri(), link.new Socket()).whenComplete((ws, error) -> {
            if (error != null) {
                link.lost(classify(error), "handshake: " + describe(error));
            } else if (link.ended.get()) {
                ws.abort(); // closed while connecting
            }
        });
        return link;
    }

    /** True once the handshake succeeded and until the connection ends. */
    boolean isOpen() {
        return socket != null && !ended.get();
    }

    /** Sends a control message (never dropped while the link is open). */
    void send(String text) {
        enqueue(text);
    }

    /** Sends caller audio unless too much is already waiting; false if dropped. Never calls back on this thread. */
    boolean sendAudio(String text) {
        if (pending.get() >= MAX_PENDING_AUDIO) {
            return false;
        }
        return enqueue(text);
    }

    private boolean enqueue(String text) {
        WebSocket ws = socket;
        if (ws == null || ended.get()) {
            return false;
        }
        pending.incrementAndGet();
        synchronized (sendLock) {
            // Completion runs on another thread, so a failure never calls back into a sender's locks.
            sendChain = sendChain.thenCompose(v -> ws.sendText(text, true)).whenCompleteAsync((v, error) -> {
                pending.decrementAndGet();
                if (error != null) {
                    lost(Protocol.Failure.DROPPED, "send: " + describe(error));
                }
            });
        }
        return true;
    }

    /** Ends the connection: a close frame, and the socket released at once after it (or after a grace period). */
    void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        WebSocket ws = socket;
        if (ws == null) {
            return; // still connecting: aborted when the handshake completes
        }
        CompletableFuture<?> closing;
        synchronized (sendLock) {
            closing = sendChain.handle((v, e) -> null)
                    .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"));
        }
        closing.orTimeout(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS).whenComplete((v, e) -> ws.abort());
    }

    private void lost(Protocol.Failure failure, String detail) {
        if (ended.compareAndSet(false, true)) {
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
            listener.onLost(this, failure, detail);
        }
    }

    static Protocol.Failure classify(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof WebSocketHandshakeException h) {
            int status = h.getResponse().statusCode();
            if (status == 401 || status == 403) {
                return Protocol.Failure.AUTH;
            }
            if (status == 429) {
                return Protocol.Failure.RATE_LIMIT;
            }
        }
        return Protocol.Failure.DROPPED;
    }

    /** The error's kind and HTTP status, never its message (it could quote the URL, which may carry a key). */
    static String describe(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof WebSocketHandshakeException h) {
            return "HTTP " + h.getResponse().statusCode();
        }
        return e.getClass().getSimpleName();
    }

    private final class Socket implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            socket = ws;
            if (!ended.get()) {
                listener.onOpen(ModelLink.this);
            }
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (partial.length() > MAX_MESSAGE_CHARS) {
                partial.setLength(0);
                lost(Protocol.Failure.DROPPED, "a message over " + MAX_MESSAGE_CHARS + " characters");
                return null;
            }
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonNode message = Json.parse(text);
                if (message != null && message.isObject() && !ended.get()) {
                    try {
                        listener.onMessage(ModelLink.this, message);
                    } catch (RuntimeException e) {
                        LOG.warn("model message not handled", e);
                    }
                } else if (message == null) {
                    LOG.debug("ignoring a model message that is not JSON ({} chars)", text.length());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
            ws.request(1); // neither protocol sends binary frames to this client
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            lost(statusCode == 1008 ? Protocol.Failure.AUTH : Protocol.Failure.DROPPED, "closed " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            lost(Protocol.Failure.DROPPED, describe(error));
        }
    }
}
