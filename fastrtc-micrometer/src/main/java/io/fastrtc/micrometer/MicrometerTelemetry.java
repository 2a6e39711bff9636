package io.fastrtc.micrometer;

import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The runtime's events as Micrometer meters. Set it on the runtime:
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * FastRtc rtc = FastRtc.builder().telemetry(new MicrometerTelemetry(registry)).build();
 * }</pre>
 *
 * <p>The meters (Prometheus names in brackets), tagged by {@code transport} ({@code webrtc},
 * {@code websocket}, {@code telephone}) unless said otherwise, never by connection id:
 * <ul>
 *   <li>{@value #SESSIONS} gauge, also by {@code state} ({@code connecting}, {@code connected}) [fastrtc_sessions]
 *   <li>{@value #LIMIT} gauge, untagged: the runtime's {@code maxTotalConnections} [fastrtc_sessions_limit]
 *   <li>{@value #REFUSED} counter, also by {@code reason}, the client's error code [fastrtc_offers_refused_total]
 *   <li>{@value #SETUP} timer, admission to media flowing [fastrtc_session_setup_seconds]
 *   <li>{@value #HANDLER} timer, by {@code call} ({@code video_frame}, {@code audio_chunk}) only [fastrtc_handler_duration_seconds]
 *   <li>{@value #HANDLER_ERRORS} counter [fastrtc_handler_errors_total]
 *   <li>{@value #DROPPED} counter, input the session could not keep up with [fastrtc_frames_dropped_total]
 *   <li>{@value #TURN} timer, end of the user's speech to the reply's first audio [fastrtc_turn_latency_seconds]
 *   <li>{@value #INTERRUPTION} timer, user's speech to the reply going silent [fastrtc_interruption_latency_seconds]
 *   <li>{@value #JITTER} timer, untagged (WebRTC only) [fastrtc_audio_jitter_buffer_delay_seconds]
 *   <li>{@value #CONCEALED} summary, share of incoming audio concealed, untagged [fastrtc_audio_concealed_ratio]
 *   <li>{@value #CLOSED} counter, also by {@code reason} ({@code client}, {@code handler}, {@code error},
 *       {@code timeout}, {@code draining}, {@code shutdown}, {@code server}) [fastrtc_sessions_closed_total]
 * </ul>
 * Timers publish percentile histograms, so Prometheus computes p50 and p90 across instances.
 */
public final class MicrometerTelemetry implements Telemetry {

    public static final String SESSIONS = "fastrtc.sessions";
    public static final String LIMIT = "fastrtc.sessions.limit";
    public static final String REFUSED = "fastrtc.offers.refused";
    public static final String SETUP = "fastrtc.session.setup";
    public static final String HANDLER = "fastrtc.handler.duration";
    public static final String HANDLER_ERRORS = "fastrtc.handler.errors";
    public static final String DROPPED = "fastrtc.frames.dropped";
    public static final String TURN = "fastrtc.turn.latency";
    public static final String INTERRUPTION = "fastrtc.interruption.latency";
    public static final String JITTER = "fastrtc.audio.jitter.buffer.delay";
    public static final String CONCEALED = "fastrtc.audio.concealed.ratio";
    public static final String CLOSED = "fastrtc.sessions.closed";

    /** A reason tag is one of the library's codes; anything else is reported as {@code other}. */
    private static final Pattern CODE = Pattern.compile("[a-z][a-z_]{0,39}");
    /** Bucket bounds of the concealed share: clean, barely audible, audible, broken up. */
    private static final double[] CONCEALED_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1};

    private final MeterRegistry registry;
    private final Map<Transport, PerTransport> transports = new EnumMap<>(Transport.class);
    private final Map<SessionTelemetry.Call, Timer> handler = new EnumMap<>(SessionTelemetry.Call.class);
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final AtomicInteger limit = new AtomicInteger();
    private final Timer jitter;
    private final DistributionSummary concealed;

    /** Registers the meters on {@code registry} (each gauge and per-transport meter at once, at zero). */
    public MicrometerTelemetry(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        for (Transport t : Transport.values()) {
            transports.put(t, new PerTransport(t));
        }
        for (SessionTelemetry.Call c : SessionTelemetry.Call.values()) {
            handler.put(c, Timer.builder(HANDLER).description("Time the handler took for one video frame or audio chunk")
                    .tag("call", c.name().toLowerCase(java.util.Locale.ROOT)).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry));
        }
        Gauge.builder(LIMIT, limit, AtomicInteger::get).description("Most sessions the runtime admits at once")
                .register(registry);
        jitter = Timer.builder(JITTER).description("Mean time incoming audio waited in the jitter buffer, per 5 s")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(2)).register(registry);
        concealed = DistributionSummary.builder(CONCEALED)
                .description("Share of incoming audio samples concealed (synthesised because missing), per 5 s")
                .serviceLevelObjectives(CONCEALED_BUCKETS).register(registry);
    }

    @Override
    public void runtimeStarted(int maxTotalConnections) {
        limit.set(maxTotalConnections);
    }

    @Override
    public void offerRefused(Transport transport, String reason) {
        String code = reason != null && CODE.matcher(reason).matches() ? reason : "other";
        refused.computeIfAbsent(transport.tag() + ' ' + code, k -> Counter.builder(REFUSED)
                .description("New sessions refused, by the error code the client got")
                .tags("transport", transport.tag(), "reason", code).register(registry)).increment();
    }

    @Override
    public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        return new Session(transports.get(transport));
    }

    /** The meters of one transport, and its sessions' gauges. */
    private final class PerTransport {
        final Transport transport;
        final AtomicInteger connecting = new AtomicInteger();
        final AtomicInteger connected = new AtomicInteger();
        final Timer setup;
        final Counter errors;
        final Counter dropped;
        final Timer turn;
        final Timer interruption;

        PerTransport(Transport transport) {
            this.transport = transport;
            Tags tags = Tags.of("transport", transport.tag());
            Gauge.builder(SESSIONS, connecting, AtomicInteger::get).description("Open sessions")
                    .tags(tags).tag("state", "connecting").register(registry);
            Gauge.builder(SESSIONS, connected, AtomicInteger::get).description("Open sessions")
                    .tags(tags).tag("state", "connected").register(registry);
            setup = Timer.builder(SETUP).description("Time from admission until media flows").tags(tags)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
            errors = Counter.builder(HANDLER_ERRORS).description("Handler calls that threw").tags(tags).register(registry);
            dropped = Counter.builder(DROPPED).description("Incoming frames or chunks dropped because the handler fell behind")
                    .tags(tags).register(registry);
            turn = latency(TURN, "Time from the end of the user's speech to the reply's first audio", tags);
            interruption = latency(INTERRUPTION, "Time from the user talking over a reply to the reply going silent", tags);
        }

        private Timer latency(String name, String description, Tags tags) {
            return Timer.builder(name).description(description).tags(tags).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry);
        }

        Counter closed(String reason) {
            String code = reason != null && CODE.matcher(reason).matches() ? reason : "other";
            return MicrometerTelemetry.this.closed.computeIfAbsent(transport.tag() + ' ' + code, k -> Counter
                    .builder(CLOSED).description("Sessions ended, by why").tags("transport", transport.tag(), "reason", code)
                    .register(registry));
        }
    }

    private enum State { CONNECTING, CONNECTED, CLOSED }

    private final class Session implements SessionTelemetry {
        private final PerTransport meters;
        private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);

        Session(PerTransport meters) {
            this.meters = meters;
            meters.connecting.incrementAndGet();
        }

        @Override
        public void connected(Duration setup) {
            if (state.compareAndSet(State.CONNECTING, State.CONNECTED)) {
                meters.connecting.decrementAndGet();
                meters.connected.incrementAndGet();
                meters.setup.record(setup);
            }
        }

        @Override
        public void handlerCall(Call call, long nanos) {
            handler.get(call).record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void handlerFailed(Throwable error) {
            meters.errors.increment();
        }

        @Override
        public void framesDropped(int count) {
            meters.dropped.increment(count);
        }

        @Override
        public void audioQuality(Duration jitterBufferDelay, double concealedRatio) {
            jitter.record(jitterBufferDelay);
            concealed.record(concealedRatio);
        }

        @Override
        public TurnTelemetry turnStarted() {
            return new TurnTelemetry() {
                @Override
                public void firstAudio(Duration latency) {
                    meters.turn.record(latency);
                }

                @Override
                public void interrupted(Duration latency, Duration played) {
                    meters.interruption.record(latency);
                }
            };
        }

        @Override
        public void closed(String reason) {
            State was = state.getAndSet(State.CLOSED);
            if (was == State.CLOSED) {
                return;
            }
            (was == State.CONNECTING ? meters.connecting : meters.connected).decrementAndGet();
            meters.closed(reason).increment();
        }
    }
}
