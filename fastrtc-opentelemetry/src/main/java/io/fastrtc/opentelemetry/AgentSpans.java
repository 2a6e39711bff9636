package io.fastrtc.opentelemetry;

import io.fastrtc.agent.AgentTracing;
import io.fastrtc.telemetry.Scope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The voice agent's steps as spans {@code fastrtc.stt}, {@code fastrtc.model} and {@code
 * fastrtc.tts}, children of the span current where they start (the turn's). Found by the agent with
 * {@link java.util.ServiceLoader}; traces only inside a session that {@link OpenTelemetryTelemetry}
 * traces, with that session's tracer.
 */
public final class AgentSpans implements AgentTracing {

    /** For {@link java.util.ServiceLoader}. */
    public AgentSpans() {
    }

    @Override
    public Step start(String step) {
        Context parent = Context.current();
        Tracer tracer = parent.get(OpenTelemetryTelemetry.TRACER);
        if (tracer == null) {
            return Step.NONE;
        }
        Span span = tracer.spanBuilder("fastrtc." + step).setParent(parent).startSpan();
        Context context = parent.with(span);
        AtomicBoolean ended = new AtomicBoolean();
        return new Step() {
            @Override
            public Scope enter() {
                return OpenTelemetryTelemetry.scope(context);
            }

            @Override
            public void failed(Throwable error) {
                span.recordException(error);
                span.setStatus(StatusCode.ERROR, step + " failed: " + error.getClass().getSimpleName());
            }

            @Override
            public void close() {
                if (ended.compareAndSet(false, true)) {
                    span.end();
                }
            }
        };
    }
}
