package io.fastrtc.speech.socket;

import java.io.File;

/** Counts what a client could leak: live threads and open file descriptors (sockets among them). */
public record Resources(int threads, int descriptors) {

    public static Resources now() {
        String[] fds = new File("/proc/self/fd").list();
        return new Resources(Thread.activeCount(), fds == null ? -1 : fds.length);
    }

    /** Whether this is no more than {@code base} plus a small constant (pools that grow once, not per session). */
    public boolean atMost(Resources base, int slack) {
        return threads <= base.threads + slack && descriptors <= base.descriptors + slack;
    }
}
