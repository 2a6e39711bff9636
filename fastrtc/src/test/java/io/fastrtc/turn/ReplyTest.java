package io.fastrtc.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Reply's producer is bounded in time ahead of what the caller heard, whatever the size of its items. */
class ReplyTest {

    @Test
    void aProducerOfSmallFramesStaysASecondAheadOfWhatWasHeard() throws Exception {
        AtomicLong heard = new AtomicLong();
        AtomicInteger sent = new AtomicInteger();
        try (Reply reply = Reply.generate(out -> {
            while (true) {
                out.send(AudioFrame.silence(24000, 1, 20));
                sent.incrementAndGet();
            }
        })) {
            reply.reportHeard(heard::get);
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == 50);
            Thread.sleep(200); // nothing heard, nothing more produced
            assertThat(sent.get()).isEqualTo(50);
            heard.set(500_000_000L);
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == 75);
            Thread.sleep(200);
            assertThat(sent.get()).isEqualTo(75);
        }
    }

    @Test
    void aLongItemIsAcceptedAloneAndTheNextWaitsUntilItIsNearlyHeard() throws Exception {
        AtomicLong heard = new AtomicLong();
        AtomicInteger sent = new AtomicInteger();
        try (Reply reply = Reply.generate(out -> {
            out.send(AudioFrame.silence(24000, 1, 3000));
            sent.incrementAndGet();
            while (true) {
                out.send(AudioFrame.silence(24000, 1, 500));
                sent.incrementAndGet();
            }
        })) {
            reply.reportHeard(heard::get);
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == 1);
            heard.set(2_400_000_000L);
            Thread.sleep(200);
            assertThat(sent.get()).as("600 ms unheard + 500 ms > 1 s").isEqualTo(1);
            heard.set(2_500_000_000L);
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() == 2);
        }
    }

    @Test
    void withoutAListenerReportingPlayedIsWhatTheConsumerTook() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Reply.Sink> sink = new java.util.concurrent.atomic.AtomicReference<>();
        try (Reply reply = Reply.generate(out -> {
            sink.set(out);
            for (int i = 0; i < 3; i++) {
                out.send(AudioFrame.silence(24000, 1, 100));
            }
        })) {
            assertThat(reply.next()).isNotNull();
            assertThat(reply.next()).isNotNull();
            assertThat(sink.get().played()).isEqualTo(Duration.ofMillis(200));
        }
    }
}
