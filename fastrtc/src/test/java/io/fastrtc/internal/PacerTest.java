package io.fastrtc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void anUnparkWakesAWaitForAnExtraTickAndOtherwiseItWaitsForTheTick() throws Exception {
        Pacer hourly = new Pacer(TimeUnit.HOURS.toNanos(1), TimeUnit.HOURS.toNanos(10));
        CompletableFuture<Boolean> woken = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                woken.complete(hourly.awaitOrWake());
            } catch (InterruptedException e) {
                woken.completeExceptionally(e);
            }
        });
        waiter.start();
        while (!woken.isDone()) {
            LockSupport.unpark(waiter); // before it parks, the permit is kept for its park
            Thread.sleep(5);
        }
        assertThat(woken.get()).as("woken before the tick").isFalse();

        Pacer fast = new Pacer(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1));
        assertThat(fast.awaitOrWake()).as("the tick came").isTrue();
    }
}
