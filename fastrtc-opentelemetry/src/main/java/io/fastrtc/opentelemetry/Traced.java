package io.fastrtc.opentelemetry;

import io.fastrtc.telemetry.Scope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/** A span with the context that makes it current; ended once, whoever asks first. */
abstract class Traced {

    final Span span;
    private final Context context;
    private final AtomicBoolean ended = new AtomicBoolean();

    Traced(Span span, Context parent) {
        this.span = span;
        this.context = parent.with(span);
    }

    /** The span's context, for its children. */
    final Context context() {
        return context;
    }

    /** The span current on this thread until the scope closes. */
    public final Scope enter() {
        io.opentelemetry.context.Scope otel = context.makeCurrent();
        return otel::close;
    }

    /** {@code what} failed with {@code error}: an exception event, and the status ERROR. */
    final void failed(String what, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, what + " failed: " + error.getClass().getSimpleName());
    }

    /** Runs {@code last} (the final attributes) and ends the span, the first time only. */
    final void end(Runnable last) {
        if (ended.compareAndSet(false, true)) {
            last.run();
            span.end();
        }
    }
}
