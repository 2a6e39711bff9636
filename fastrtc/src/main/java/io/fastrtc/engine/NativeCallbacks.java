package io.fastrtc.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards code that libwebrtc calls on its own threads. An exception escaping into JNI aborts the
 * JVM, so every callback body runs through {@link #guard}; and blocking on a WebRTC result from
 * such a thread deadlocks, which {@link #checkNotInCallback} turns into an error instead.
 */
final class NativeCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCallbacks.class);
    private static final ThreadLocal<Boolean> IN_CALLBACK = new ThreadLocal<>();

    private NativeCallbacks() {
    }

    static void guard(String what, Runnable body) {
        boolean outer = IN_CALLBACK.get() == null;
        if (outer) {
            IN_CALLBACK.set(Boolean.TRUE);
        }
        try {
            body.run();
        } catch (Throwable t) {
            LOG.error("{} failed; the error was contained so libwebrtc can go on", what, t);
        } finally {
            if (outer) {
                IN_CALLBACK.remove();
            }
        }
    }

    static boolean inCallback() {
        return IN_CALLBACK.get() != null;
    }

    static void checkNotInCallback(String operation) {
        if (inCallback()) {
            throw new EngineException(operation + " was called from a libwebrtc callback thread, where it would"
                    + " deadlock; run it from your own thread");
        }
    }
}
