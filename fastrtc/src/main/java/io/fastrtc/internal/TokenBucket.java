package io.fastrtc.internal;

/**
 * A rate limit: up to {@code burst} events at once, refilled at {@code perSecond}. Thread-safe.
 */
public final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, double burst) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake() {
        refill(System.nanoTime());
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }

    /** Seconds until a token is available (0 if one is). */
    public synchronized long secondsUntilNext() {
        refill(System.nanoTime());
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano / 1e9);
    }

    /** True once refilled to the brim: the bucket then holds no information and may be dropped. */
    synchronized boolean isFull(long now) {
        refill(now);
        return tokens >= burst;
    }

    private void refill(long now) {
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
