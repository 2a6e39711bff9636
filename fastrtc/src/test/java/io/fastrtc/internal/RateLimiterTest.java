package io.fastrtc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aBurstIsAllowedThenRefusedPerKey() {
        RateLimiter limiter = RateLimiter.perMinute(3);
        assertThat(limiter.tryTake("a")).isTrue();
        assertThat(limiter.tryTake("a")).isTrue();
        assertThat(limiter.tryTake("a")).isTrue();
        assertThat(limiter.tryTake("a")).isFalse();
        assertThat(limiter.secondsUntilNext("a")).isBetween(1L, 20L);
        assertThat(limiter.tryTake("b")).isTrue();
        assertThat(limiter.secondsUntilNext("b")).isZero();
    }

    @Test
    void manyKeysDoNotGrowTheMapWithoutBound() {
        RateLimiter limiter = RateLimiter.perMinute(1);
        for (int i = 0; i < RateLimiter.MAX_KEYS * 3; i++) {
            limiter.tryTake("client-" + i);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(RateLimiter.MAX_KEYS);
    }

    @Test
    void aBucketRefillsOverTime() throws Exception {
        TokenBucket bucket = new TokenBucket(100, 1);
        assertThat(bucket.tryTake()).isTrue();
        Thread.sleep(100); // ten times what one token takes
        assertThat(bucket.tryTake()).isTrue();
    }
}
