package io.fastrtc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fastrtc.audio.AudioFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FrameInboxTest {

    private static AudioFrame frame(int marker) {
        return AudioFrame.ofPcm16(8000, 1, new short[] {(short) marker});
    }

    private static int marker(AudioFrame frame) {
        return frame.toPcm16()[0];
    }

    @Test
    void framesComeOutInOrderAndTheOldestGoBeyondCapacity() throws Exception {
        FrameInbox inbox = new FrameInbox(3);
        int dropped = 0;
        for (int i = 1; i <= 5; i++) {
            dropped += inbox.offer(frame(i));
        }
        assertThat(dropped).isEqualTo(2);
        assertThat(marker(inbox.take(0, TimeUnit.MILLISECONDS))).isEqualTo(3);
        assertThat(marker(inbox.take(0, TimeUnit.MILLISECONDS))).isEqualTo(4);
        assertThat(inbox.offer(frame(6))).isZero(); // room again
        assertThat(marker(inbox.take(0, TimeUnit.MILLISECONDS))).isEqualTo(5);
        assertThat(marker(inbox.take(0, TimeUnit.MILLISECONDS))).isEqualTo(6);
        assertThat(inbox.take(20, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSleepingTakerIsWokenByTheNextFrame() throws Exception {
        FrameInbox inbox = new FrameInbox(10);
        CompletableFuture<AudioFrame> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(inbox.take(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        taker.start();
        while (taker.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        inbox.offer(frame(7));
        // Long before the 30 s timeout: the offer woke it.
        assertThat(marker(taken.get(10, TimeUnit.SECONDS))).isEqualTo(7);
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        FrameInbox inbox = new FrameInbox(10);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> inbox.take(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }
}
