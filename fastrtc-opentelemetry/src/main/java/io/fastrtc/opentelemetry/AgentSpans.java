package io.fastrtc.opentelemetry;

import io.fastrtc.agent.AgentTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

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
        return new StepSpan(step, tracer.spanBuilder("fastrtc." + step).setParent(parent).startSpan(), parent);
    }

    private static final class StepSpan extends Traced implements Step {
        private final String step;

        StepSpan(String step, Span span, Context parent) {
            super(span, parent);
            this.step = step;
        }

        @Override
        public void failed(Throwable error) {
            failed(step, error);
        }

        @Override
        public void close() {
            end(() -> {
            });
        }
    }
}
