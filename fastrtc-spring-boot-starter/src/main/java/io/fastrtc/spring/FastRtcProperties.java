package io.fastrtc.spring;

import io.fastrtc.stream.Stream;
import io.fastrtc.stream.VideoCodec;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code fastrtc.*} application properties.
 *
 * <pre>
 * fastrtc.path=/api                  # the stream's routes: /api/webrtc/offer, /api/webrtc/rtc-configuration
 * fastrtc.ui.enabled=true            # the built-in web UI ...
 * fastrtc.ui.path=/ui                # ... at /ui/
 * fastrtc.concurrency-limit=5        # Stream.Builder settings, applied to the Stream.Builder bean
 * fastrtc.global-concurrency-limit=50
 * fastrtc.time-limit=10m
 * fastrtc.connect-timeout=30s
 * fastrtc.port-min=50000
 * fastrtc.port-max=50100
 * fastrtc.video-codec=H264
 * fastrtc.redis.uri=redis://redis:6379   # several instances (module fastrtc-redis on the classpath)
 * fastrtc.redis.key-prefix=fastrtc:
 * fastrtc.redis.ownership-ttl=15s
 * fastrtc.redis.instance-id=web-1
 * </pre>
 * Stream settings left out keep the builder's defaults.
 *
 * @param path where the stream's routes are mounted ("" for the root)
 * @param ui the built-in web UI
 * @param redis the Redis broker, for several instances
 */
@ConfigurationProperties("fastrtc")
public record FastRtcProperties(
        @DefaultValue("") String path,
        @DefaultValue Ui ui,
        Integer concurrencyLimit,
        Integer globalConcurrencyLimit,
        Duration timeLimit,
        Duration connectTimeout,
        Integer portMin,
        Integer portMax,
        VideoCodec videoCodec,
        @DefaultValue Redis redis) {

    /**
     * @param enabled whether the UI is served
     * @param path where ("" for the root)
     */
    public record Ui(@DefaultValue("true") boolean enabled, @DefaultValue("/ui") String path) {
    }

    /**
     * @param uri the Redis to share, e.g. {@code redis://redis:6379}; none means one instance
     * @param keyPrefix prefix of every key and channel
     * @param ownershipTtl how soon a dead instance's connections are released
     * @param instanceId this instance's name in Redis (default: host, pid and a random suffix)
     */
    public record Redis(String uri, @DefaultValue("fastrtc:") String keyPrefix,
            @DefaultValue("15s") Duration ownershipTtl, String instanceId) {
    }

    /** Applies the stream settings that are set. */
    void applyTo(Stream.Builder builder) {
        if (concurrencyLimit != null) {
            builder.concurrencyLimit(concurrencyLimit);
        }
        if (globalConcurrencyLimit != null) {
            builder.globalConcurrencyLimit(globalConcurrencyLimit);
        }
        if (timeLimit != null) {
            builder.timeLimit(timeLimit);
        }
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        if ((portMin == null) != (portMax == null)) {
            throw new IllegalArgumentException("set both fastrtc.port-min and fastrtc.port-max, or neither; got "
                    + portMin + " and " + portMax);
        }
        if (portMin != null) {
            builder.portRange(portMin, portMax);
        }
        if (videoCodec != null) {
            builder.videoCodec(videoCodec);
        }
    }
}
