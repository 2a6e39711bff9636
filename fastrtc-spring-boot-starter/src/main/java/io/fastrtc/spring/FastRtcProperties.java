package io.fastrtc.spring;

import io.fastrtc.security.Cors;
import io.fastrtc.stream.Capacity;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.VideoCodec;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code fastrtc.*} application properties.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><td>{@code fastrtc.path}</td><td>where the stream's routes go, e.g. {@code /api} for
 *     {@code /api/webrtc/offer} (default: the root)</td></tr>
 * <tr><td>{@code fastrtc.ui.enabled}, {@code fastrtc.ui.path}</td><td>the built-in web UI (default: on, at {@code /ui})</td></tr>
 * <tr><td>{@code fastrtc.concurrency-limit}, {@code global-concurrency-limit}, {@code time-limit},
 *     {@code connect-timeout}, {@code port-min} and {@code port-max}, {@code video-codec}</td>
 *     <td>{@link Stream.Builder} settings, applied to the {@code Stream.Builder} bean</td></tr>
 * <tr><td>{@code fastrtc.capacity.streams} or {@code fastrtc.capacity.cpu}</td><td>the process's
 *     {@link Capacity}: {@code Capacity.fixed(streams)}, or {@code Capacity.cpu(share)} with a share
 *     of all cores such as {@code 0.8} (default: unlimited)</td></tr>
 * <tr><td>{@code fastrtc.redis.uri}, {@code key-prefix}, {@code ownership-ttl}, {@code instance-id}</td>
 *     <td>several instances on a shared Redis (module {@code fastrtc-redis} on the classpath)</td></tr>
 * <tr><td>{@code fastrtc.cors.allowed-origins}, {@code fastrtc.cors.allow-credentials}</td>
 *     <td>other origins whose pages may call the routes (none by default)</td></tr>
 * <tr><td>{@code fastrtc.trusted-proxies}</td><td>reverse proxies whose {@code X-Forwarded-For},
 *     {@code -Proto} and {@code -Host} are believed, e.g. {@code 10.0.0.0/8} (none by default)</td></tr>
 * <tr><td>{@code fastrtc.drain-timeout}</td><td>how long open sessions may go on when the context
 *     closes (graceful drain, see {@link FastRtcDrain}; default 20 s, at most
 *     {@code spring.lifecycle.timeout-per-shutdown-phase})</td></tr>
 * </table>
 * An {@link io.fastrtc.security.Authorizer} bean becomes the stream's authorizer (see SECURITY.md).
 * Stream settings left out keep the builder's defaults.
 *
 * @param path where the stream's routes are mounted ("" for the root)
 * @param ui the built-in web UI
 * @param capacity how many streams this process admits
 * @param redis the Redis broker, for several instances
 * @param cors CORS for the stream's routes
 * @param trustedProxies addresses and networks of trusted reverse proxies
 * @param drainTimeout the drain deadline on context close
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
        @DefaultValue CapacityLimit capacity,
        @DefaultValue Redis redis,
        @DefaultValue CorsOrigins cors,
        List<String> trustedProxies,
        @DefaultValue("20s") Duration drainTimeout) {

    /**
     * @param enabled whether the UI is served
     * @param path where ("" for the root)
     */
    public record Ui(@DefaultValue("true") boolean enabled, @DefaultValue("/ui") String path) {
    }

    /**
     * @param streams at most this many streams ({@link Capacity#fixed})
     * @param cpu as many as fit under this share of all cores ({@link Capacity#cpu})
     */
    public record CapacityLimit(Integer streams, Double cpu) {
        Capacity toCapacity() {
            if (streams != null && cpu != null) {
                throw new IllegalArgumentException("set fastrtc.capacity.streams or fastrtc.capacity.cpu, not both;"
                        + " got " + streams + " and " + cpu);
            }
            return streams != null ? Capacity.fixed(streams) : cpu != null ? Capacity.cpu(cpu) : Capacity.UNLIMITED;
        }
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

    /**
     * @param allowedOrigins origins such as {@code https://app.example.com}, or {@code *}
     * @param allowCredentials whether cookies may cross
     */
    public record CorsOrigins(List<String> allowedOrigins, @DefaultValue("false") boolean allowCredentials) {
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
        builder.capacity(capacity.toCapacity());
        if (cors.allowedOrigins() != null && !cors.allowedOrigins().isEmpty()) {
            Cors allowed = Cors.allowOrigins(cors.allowedOrigins().toArray(String[]::new));
            builder.cors(cors.allowCredentials() ? allowed.withCredentials() : allowed);
        }
        if (trustedProxies != null && !trustedProxies.isEmpty()) {
            builder.trustedProxies(trustedProxies.toArray(String[]::new));
        }
    }
}
