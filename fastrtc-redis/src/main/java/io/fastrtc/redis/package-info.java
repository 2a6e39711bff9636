/**
 * {@link io.fastrtc.redis.RedisBroker}: several instances of a stream on one Redis (Lettuce).
 *
 * <p>May depend on: {@code io.fastrtc.cluster} (the seam it implements), {@code io.fastrtc.internal}
 * and Lettuce.
 */
package io.fastrtc.redis;
