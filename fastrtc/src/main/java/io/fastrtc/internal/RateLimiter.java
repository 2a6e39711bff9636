package io.fastrtc.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (a client), in bounded memory: at {@link #MAX_KEYS} keys, buckets that have
 * refilled (they hold no information) are dropped, then arbitrary ones, so a flood of new keys
 * cannot grow the map without bound. A dropped bucket restarts full.
 */
public final class RateLimiter {

    static final int MAX_KEYS = 50_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** {@code perMinute} events a minute per key, in bursts of up to as many. */
    public static RateLimiter perMinute(int perMinute) {
        return new RateLimiter(perMinute / 60.0, perMinute);
    }

    private RateLimiter(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Counts one event of {@code key}; false if it is over the limit. */
    public boolean tryTake(String key) {
        if (buckets.size() >= MAX_KEYS) {
            sweep();
        }
        return buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst)).tryTake();
    }

    /** Seconds until {@code key} may try again. */
    public long secondsUntilNext(String key) {
        TokenBucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.secondsUntilNext();
    }

    /** Drops refilled buckets; if that frees too little, drops arbitrary ones (they restart full). */
    private synchronized void sweep() {
        long now = System.nanoTime();
        buckets.values().removeIf(b -> b.isFull(now));
        Iterator<TokenBucket> it = buckets.values().iterator();
        while (buckets.size() >= MAX_KEYS * 9 / 10 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    int size() {
        return buckets.size();
    }
}
