package io.fastrtc.speech.socket;

import io.fastrtc.internal.Threads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client WebSocket to a speech service, on the JDK's {@link java.net.http.WebSocket}: whole
 * messages in, blocking sends out, and every way it can fail turned into a
 * {@link SpeechServiceException} that says what to do. Plumbing shared by this module's streaming
 * clients; applications use those.
 */
public final class SpeechSocket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpeechSocket.class);
    /** The close code a socket gets when it ends without a close frame (RFC 6455 §7.1.5). */
    public static final int DROPPED = 1006;

    /** What the service sends; called on the HTTP client's threads, one message at a time. */
    public interface Events {
        void text(String message);

        /** The socket ended: closed by the service ({@code code} from its close frame) or dropped ({@link #DROPPED}). */
        void closed(int code, String reason);
    }

    /** Who is on the other end, for the error messages. */
    public record Service(String name, String keyVariable, String errorHeader) {
    }

    /**
     * One daemon thread for every socket's keep-alive, gone 5 s after no socket needs it. Static: a
     * speech client is built without a FastRtc runtime and may serve several.
     */
    private static final ScheduledThreadPoolExecutor TIMER = Threads.idleTimer("fastrtc-speech-keepalive", 5);

    private final WebSocket ws;
    private final Duration timeout;
    private volatile long lastSent = System.nanoTime();
    private volatile ScheduledFuture<?> keepAlive;
    private final ReentrantLock sending = new ReentrantLock(); // the JDK allows one outstanding send
    private final AtomicBoolean ended;
    private final AtomicBoolean lostOnSend = new AtomicBoolean();
    private static final long END_GRACE_MILLIS = 500;

    private final Listener listener;

    private SpeechSocket(WebSocket ws, Duration timeout, Listener listener) {
        this.ws = ws;
        this.timeout = timeout;
        this.listener = listener;
        this.ended = listener.ended;
    }

    /**
     * Opens a socket to {@code uri} with {@code headers} (the key goes there, never in the URI).
     *
     * @throws SpeechServiceException if the handshake was refused, failed or took longer than {@code timeout}
     */
    public static SpeechSocket open(HttpClient http, URI uri, Map<String, String> headers, Duration timeout,
            Service service, Events events) {
        Listener listener = new Listener(events);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> opening = builder.buildAsync(uri, listener);
        String where = service.name() + " at " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
        try {
            return new SpeechSocket(opening.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS), timeout, listener);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                throw refused(where, service, refused.getResponse());
            }
            throw new SpeechServiceException(0, 0, "could not connect to " + where + ": " + cause
                    + " (is the service reachable? the base URL is set with baseUrl(...))", cause);
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort);
            throw new SpeechServiceException(0, 0, "no answer from " + where + " within " + timeout.toMillis()
                    + " ms (the timeout is set with timeout(...))", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.thenAccept(WebSocket::abort);
            throw new SpeechServiceException(0, 0, "interrupted while connecting to " + where, e);
        }
    }

    private static SpeechServiceException refused(String where, Service service, HttpResponse<?> response) {
        int status = response.statusCode();
        String detail = service.errorHeader() == null ? null
                : response.headers().firstValue(service.errorHeader()).orElse(null);
        String hint = switch (status) {
            case 401, 403 -> "check the API key: pass apiKey(...) or set " + service.keyVariable();
            case 429 -> "rate or concurrency limit reached; try again later"
                    + response.headers().firstValue("Retry-After").map(s -> " (Retry-After: " + s + ")").orElse("");
            default -> status >= 500 ? "the service failed; try again later"
                    : "the service refused the request; check the options given to the builder";
        };
        return new SpeechServiceException(status, 0, where + " refused the connection with HTTP " + status
                + (detail == null || detail.isBlank() ? "" : ": " + abbreviate(detail)) + " (" + hint + ")", null);
    }

    /**
     * {@code url} as a base URL for a builder: ws(s)://host[:port][/prefix], without a trailing
     * slash, and without {@code clientPath} (which the client adds itself).
     *
     * @throws IllegalArgumentException naming the bad URL and the fix
     */
    public static String checkBaseUrl(String url, String clientPath) {
        Objects.requireNonNull(url, "url");
        URI uri = null;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (uri == null || !("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("base URL must be ws(s)://host[:port][/prefix]; got \"" + url + "\"");
        }
        String trimmed = url.replaceAll("/+$", "");
        if (trimmed.endsWith(clientPath)) {
            throw new IllegalArgumentException("base URL must not end in " + clientPath + ", the client adds it: use \""
                    + trimmed.substring(0, trimmed.length() - clientPath.length()) + "\"");
        }
        return trimmed;
    }

    /** {@code times}, if not negative. */
    public static int checkReconnects(int times) {
        if (times < 0) {
            throw new IllegalArgumentException("reconnects must be >= 0 (0: never); got " + times);
        }
        return times;
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Sends a text message; false if the socket is gone (the {@link Events#closed} call says why). */
    public boolean sendText(String message) {
        return send(() -> ws.sendText(message, true));
    }

    /**
     * Sends a ping, to find out whether the connection still stands: the JDK does not always
     * report a peer that vanished without a close frame until something is written to it, so
     * code that waits for the service calls this now and then.
     */
    public boolean ping() {
        return send(() -> ws.sendPing(ByteBuffer.allocate(0)));
    }

    /** Sends a binary message; false if the socket is gone. */
    public boolean sendBinary(byte[] data) {
        return send(() -> ws.sendBinary(ByteBuffer.wrap(data), true));
    }

    private boolean send(Supplier<CompletableFuture<WebSocket>> op) {
        sending.lock();
        try {
            if (ended.get() || ws.isOutputClosed()) {
                return false;
            }
            op.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            lastSent = System.nanoTime();
            return true;
        } catch (ExecutionException | IllegalStateException e) {
            lostOnSend("sending failed: " + (e.getCause() != null ? e.getCause() : e));
            return false;
        } catch (TimeoutException e) {
            ws.abort(); // after which the JDK reports nothing more: report the end here
            listener.end(DROPPED, "sending failed: no progress within " + timeout.toMillis() + " ms");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ws.abort();
            listener.end(DROPPED, "interrupted while sending");
            return false;
        } finally {
            sending.unlock();
        }
    }

    /**
     * A send found the connection gone. The reader may still hold what came before it went (the
     * last audio, the service's error): it reports the end after those, so a failed keep-alive or
     * probe cannot overtake them. Should it say nothing within a grace, the end is reported here.
     */
    private void lostOnSend(String why) {
        if (lostOnSend.compareAndSet(false, true)) {
            TIMER.schedule(() -> {
                ws.abort();
                listener.end(DROPPED, why);
            }, END_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sends {@code message} whenever nothing was sent for {@code idle}, so that a service that
     * closes idle sockets keeps this one open while the app has nothing to say. Ends with the socket.
     */
    public void keepAlive(Duration idle, String message) {
        long period = Math.max(100, idle.toMillis() / 2);
        keepAlive = TIMER.scheduleWithFixedDelay(() -> {
            if (ended.get()) {
                keepAlive.cancel(false);
            } else if (System.nanoTime() - lastSent >= idle.toNanos()) {
                sendText(message);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops the keep-alive, e.g. once a protocol allows no more messages. */
    public void stopKeepAlive() {
        ScheduledFuture<?> k = keepAlive;
        if (k != null) {
            k.cancel(false);
        }
    }

    /** Whether the socket has ended (closed by either side or dropped). */
    public boolean ended() {
        return ended.get();
    }

    /** Closes politely (a close frame, briefly awaited) and releases the connection; idempotent. */
    @Override
    public void close() {
        stopKeepAlive();
        if (!ended.get() && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(Math.min(timeout.toMillis(), 1000), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | IllegalStateException e) {
                // released below all the same
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ended.set(true);
        ws.abort();
    }

    /** Gathers fragments into whole messages and reports the end exactly once. */
    private static final class Listener implements WebSocket.Listener {
        private final Events events;
        final AtomicBoolean ended = new AtomicBoolean();
        private final StringBuilder text = new StringBuilder();

        Listener(Events events) {
            this.events = events;
        }

        // Synchronized with end(), which a failed send calls from another thread: a message is
        // handled wholly before the end is reported, or not at all after it.
        @Override
        public synchronized CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (ended.get()) {
                return null;
            }
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    events.text(message);
                } catch (RuntimeException e) {
                    LOG.warn("a speech service message could not be handled", e);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1); // neither service sends binary messages on these routes
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            end(code, reason);
            ws.abort(); // nothing more to say: release the connection now rather than echo the close
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            end(DROPPED, "connection lost: " + (error instanceof IOException && error.getMessage() != null
                    ? error.getMessage() : error.toString()));
        }

        synchronized void end(int code, String reason) {
            if (ended.compareAndSet(false, true)) {
                events.closed(code, reason);
            }
        }
    }
}
