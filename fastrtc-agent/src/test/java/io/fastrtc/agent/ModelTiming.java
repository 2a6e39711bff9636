package io.fastrtc.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a fake streaming model writes: the first token after {@code timeToFirstToken}, then
 * {@code tokensPerSecond} (token {@code i} is due {@code timeToFirstToken + i / tokensPerSecond} after
 * the start); a token is a word with the space before it, or a punctuation mark. Each
 * answer is written on its own thread, and the moment it completed is recorded.
 */
public record ModelTiming(Duration timeToFirstToken, double tokensPerSecond) {

    private static final Pattern TOKEN = Pattern.compile("\\s*[\\w']+|\\s*[^\\w\\s]");

    public static List<String> tokens(String answer) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(answer);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /**
     * Writes {@code answer} token by token to {@code onToken}, then runs {@code onDone}; stops early,
     * silently, once {@code cancelled} says so. Returns at once.
     */
    public Thread write(String answer, Consumer<String> onToken, Runnable onDone, BooleanSupplier cancelled) {
        Thread t = new Thread(() -> {
            try {
                // On a fixed schedule: the time a token takes to handle does not slow the next one.
                long due = System.nanoTime() + timeToFirstToken.toNanos();
                long gap = (long) (1e9 / tokensPerSecond);
                for (String token : tokens(answer)) {
                    TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
                    if (cancelled.getAsBoolean()) {
                        return;
                    }
                    onToken.accept(token);
                    due += gap;
                }
                if (!cancelled.getAsBoolean()) {
                    onDone.run();
                }
            } catch (InterruptedException e) {
                // the test ended
            }
        }, "fake-model");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
