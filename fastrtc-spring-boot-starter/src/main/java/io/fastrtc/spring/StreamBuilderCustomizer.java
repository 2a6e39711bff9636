package io.fastrtc.spring;

import io.fastrtc.stream.Stream;

/**
 * Adjusts the {@link Stream.Builder} bean before the application's code gets it. The starter
 * applies the {@code fastrtc.*} properties and, with {@code fastrtc.redis.uri}, the Redis broker
 * this way; beans of this type of your own run after those (order them with {@code @Order}).
 */
@FunctionalInterface
public interface StreamBuilderCustomizer {

    void customize(Stream.Builder builder);
}
