package io.fastrtc.speech.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what a client could leak: live threads and open file descriptors (sockets among them). */
public record Resources(int threads, int descriptors) {

    public static Resources now() {
        String[] fds = new File("/proc/self/fd").list();
        return new Resources(Thread.activeCount(), fds == null ? -1 : fds.length);
    }

    /**
     * Waits until the server has no connection open and this process holds no more threads and
     * descriptors than at {@code base}, but for a few (pools that grow once, not per session).
     */
    public static void awaitReleased(Resources base, AtomicInteger openOnServer) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(openOnServer).hasValue(0);
            Resources now = now();
            assertThat(now.threads).as("threads, against %s", base).isLessThanOrEqualTo(base.threads + 3);
            assertThat(now.descriptors).as("descriptors, against %s", base).isLessThanOrEqualTo(base.descriptors + 3);
        });
    }
}
