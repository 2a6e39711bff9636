package io.fastrtc.engine;

import java.util.function.Consumer;

/**
 * How an observer that webrtc-java pins for good reaches the object it serves. 0.14.0 never
 * deletes the native observer {@code registerObserver} creates (libwebrtc's
 * {@code UnregisterObserver} only forgets it), and that native object keeps a JNI global reference
 * to the Java observer for good. So observers reach their owner only through a link cut when the
 * owner closes: otherwise every closed connection's session, listener and handler would stay
 * reachable forever (found by the leak soak benchmark).
 */
final class OwnerLink<T> {

    private volatile T owner;

    OwnerLink(T owner) {
        this.owner = owner;
    }

    void cut() {
        owner = null;
    }

    /** Runs {@code event} on the owner as a guarded libwebrtc callback, unless the link is cut. */
    void deliver(String what, Consumer<T> event) {
        T target = owner;
        if (target != null) {
            NativeCallbacks.guard(what, () -> event.accept(target));
        }
    }
}
