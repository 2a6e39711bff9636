package io.fastrtc.opentelemetry;

import io.fastrtc.telemetry.SessionTelemetry;
import io.fastrtc.telemetry.Telemetry;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.telemetry.TurnTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Traces a FastRTC runtime with OpenTelemetry: a span {@value #SESSION} per session (kind SERVER)
 * and a span {@value #TURN} per voice turn under it, made current around handler code, so a handler
 * sees them as {@link Span#current()} and its own spans become their children.
 *
 * <pre>{@code
 * FastRtc rtc = FastRtc.builder().telemetry(OpenTelemetryTelemetry.create(openTelemetry)).build();
 * }</pre>
 *
 * <p>The session span starts at admission (a child of the span current then, e.g. the HTTP request's
 * if the server is instrumented) and ends when the session closes. Attributes: {@code
 * fastrtc.transport}, {@code fastrtc.stream}, {@code fastrtc.connection.id}, and at the end {@code
 * fastrtc.close.reason} and {@code fastrtc.frames.dropped}; events {@code connected} (with {@code
 * fastrtc.setup.ms}) and one exception per handler failure, which sets the status to ERROR. The turn
 * span runs from the reply function's call to the end of the reply; attributes {@code
 * fastrtc.turn.number}, {@code fastrtc.turn.latency.ms} (end of speech to first reply audio), {@code
 * fastrtc.turn.interrupted}, {@code fastrtc.turn.interruption.latency.ms} and {@code
 * fastrtc.turn.played.ms}. With {@code fastrtc-agent}, its steps are spans {@code fastrtc.stt},
 * {@code fastrtc.model} and {@code fastrtc.tts} under the turn.
 */
public final class OpenTelemetryTelemetry implements Telemetry {

    /** The tracer's instrumentation scope name. */
    public static final String INSTRUMENTATION = "io.fastrtc";
    public static final String SESSION = "fastrtc.session";
    public static final String TURN = "fastrtc.turn";

    /** The tracer of the session a context belongs to, for the agent's steps ({@link AgentSpans}). */
    static final ContextKey<Tracer> TRACER = ContextKey.named("fastrtc-tracer");

    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("fastrtc.transport");
    static final AttributeKey<String> STREAM = AttributeKey.stringKey("fastrtc.stream");
    static final AttributeKey<String> CONNECTION_ID = AttributeKey.stringKey("fastrtc.connection.id");
    static final AttributeKey<String> CLOSE_REASON = AttributeKey.stringKey("fastrtc.close.reason");
    static final AttributeKey<Long> FRAMES_DROPPED = AttributeKey.longKey("fastrtc.frames.dropped");
    static final AttributeKey<Long> SETUP_MS = AttributeKey.longKey("fastrtc.setup.ms");
    static final AttributeKey<Long> TURN_NUMBER = AttributeKey.longKey("fastrtc.turn.number");
    static final AttributeKey<Long> LATENCY_MS = AttributeKey.longKey("fastrtc.turn.latency.ms");
    static final AttributeKey<Boolean> INTERRUPTED = AttributeKey.booleanKey("fastrtc.turn.interrupted");
    static final AttributeKey<Long> INTERRUPTION_MS = AttributeKey.longKey("fastrtc.turn.interruption.latency.ms");
    static final AttributeKey<Long> PLAYED_MS = AttributeKey.longKey("fastrtc.turn.played.ms");
    static final AttributeKey<String> REFUSAL = AttributeKey.stringKey("fastrtc.refusal");

    private final Tracer tracer;

    private OpenTelemetryTelemetry(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Traces with {@code openTelemetry}'s tracer provider (e.g. the SDK's, or {@code GlobalOpenTelemetry.get()}). */
    public static OpenTelemetryTelemetry create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry: pass your OpenTelemetry SDK, or GlobalOpenTelemetry.get()");
        return new OpenTelemetryTelemetry(openTelemetry.getTracer(INSTRUMENTATION));
    }

    /** A refused offer is an event on the span current where it was refused (the HTTP request's, if traced). */
    @Override
    public void offerRefused(Transport transport, String reason) {
        Span.current().addEvent("fastrtc.offer_refused", Attributes.of(TRANSPORT, transport.tag(), REFUSAL, reason));
    }

    @Override
    public SessionTelemetry sessionStarted(Transport transport, String stream, String connectionId) {
        Context parent = Context.current();
        Span span = tracer.spanBuilder(SESSION).setSpanKind(SpanKind.SERVER).setParent(parent)
                .setAttribute(TRANSPORT, transport.tag())
                .setAttribute(STREAM, stream)
                .setAttribute(CONNECTION_ID, connectionId)
                .startSpan();
        return new SessionSpan(span, parent.with(TRACER, tracer));
    }

    private final class SessionSpan extends Traced implements SessionTelemetry {
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicInteger turns = new AtomicInteger();

        SessionSpan(Span span, Context parent) {
            super(span, parent);
        }

        @Override
        public void connected(Duration setup) {
            span.addEvent("connected", Attributes.of(SETUP_MS, setup.toMillis()));
        }

        @Override
        public void handlerFailed(Throwable error) {
            failed("handler", error);
        }

        @Override
        public void framesDropped(int count) {
            dropped.addAndGet(count);
        }

        @Override
        public TurnTelemetry turnStarted() {
            Span turn = tracer.spanBuilder(TURN).setParent(context())
                    .setAttribute(TURN_NUMBER, (long) turns.incrementAndGet())
                    .startSpan();
            return new TurnSpan(turn, context());
        }

        @Override
        public void closed(String reason) {
            end(() -> {
                span.setAttribute(CLOSE_REASON, reason);
                span.setAttribute(FRAMES_DROPPED, dropped.get());
            });
        }
    }

    private static final class TurnSpan extends Traced implements TurnTelemetry {
        private final AtomicBoolean interrupted = new AtomicBoolean();

        TurnSpan(Span span, Context parent) {
            super(span, parent);
        }

        @Override
        public void firstAudio(Duration latency) {
            span.setAttribute(LATENCY_MS, latency.toMillis());
            span.addEvent("first_audio");
        }

        @Override
        public void interrupted(Duration latency, Duration played) {
            interrupted.set(true);
            span.setAttribute(INTERRUPTION_MS, latency.toMillis());
            span.setAttribute(PLAYED_MS, played.toMillis());
            span.addEvent("interrupted");
        }

        @Override
        public void ended() {
            end(() -> span.setAttribute(INTERRUPTED, interrupted.get()));
        }
    }
}
