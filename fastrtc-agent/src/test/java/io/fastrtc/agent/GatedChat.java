package io.fastrtc.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * A chat model that writes its answer one sentence at a time, sentence {@code k} (from 1) only once
 * {@code ready.test(k)}, and notes {@code probe} at that moment in {@link #probed}: a test sees what
 * the agent had done before each sentence existed. It waits at most {@link #WAIT_SECONDS} per
 * sentence, so an agent that is never ready makes the test fail, not hang. After
 * {@link #stopAfter} sentences it writes nothing more until cancelled; with {@link #waitBeforeEnd}
 * it completes only once {@code ready} holds for one sentence more.
 */
public final class GatedChat implements ChatStream {

    static final int WAIT_SECONDS = 3;

    private final List<String> sentences;
    private final IntPredicate ready;
    private final IntSupplier probe;
    public final List<Integer> probed = new CopyOnWriteArrayList<>();
    public volatile int stopAfter = Integer.MAX_VALUE;
    public volatile boolean waitBeforeEnd;

    public GatedChat(List<String> sentences, IntPredicate ready, IntSupplier probe) {
        this.sentences = List.copyOf(sentences);
        this.ready = ready;
        this.probe = probe;
    }

    @Override
    public Generation start(String conversationId, String userText, Tokens tokens) {
        Thread writer = new Thread(() -> {
            try {
                for (int k = 1; k <= sentences.size(); k++) {
                    if (k > stopAfter) {
                        Thread.sleep(Long.MAX_VALUE); // until cancelled
                    }
                    await(k);
                    probed.add(probe.getAsInt());
                    tokens.partial((k > 1 ? " " : "") + sentences.get(k - 1));
                }
                if (waitBeforeEnd) {
                    await(sentences.size() + 1);
                }
                tokens.complete();
            } catch (InterruptedException e) {
                // cancelled
            }
        }, "gated-chat");
        writer.setDaemon(true);
        writer.start();
        return Generation.of(writer::interrupt, (said, interrupted) -> { });
    }

    private void await(int k) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!ready.test(k) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }
}
