package io.fastrtc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadsTest {

    @Test
    void anIdleTimerRunsOnADaemonThreadThatEndsWhenIdleAndComesBack() throws Exception {
        ScheduledThreadPoolExecutor timer = Threads.idleTimer("test-idle", 1);
        try {
            Thread ran = timer.schedule(Thread::currentThread, 10, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
            assertThat(ran.getName()).isEqualTo("test-idle-1");
            assertThat(ran.isDaemon()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isAlive() && timer.getPoolSize() == 0);
            assertThat(timer.schedule(() -> 42, 0, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS)).isEqualTo(42);
            timer.schedule(() -> 0, 1, TimeUnit.HOURS).cancel(false);
            assertThat(timer.getQueue()).as("cancelled tasks are dropped").isEmpty();
        } finally {
            timer.shutdownNow();
        }
    }
}
