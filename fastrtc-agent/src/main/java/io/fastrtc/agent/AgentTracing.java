package io.fastrtc.agent;

import io.fastrtc.telemetry.Scope;

/**
 * Traces a {@link VoiceAgent}'s steps in a turn: {@code stt} (recognising what the caller said),
 * {@code model} (from asking the model to its last sentence) and {@code tts} (synthesising one
 * sentence). The agent starts each step on the thread that runs it, inside the turn's scope, so an
 * implementation makes it a child of the turn current there.
 *
 * <p>The agent uses the first implementation {@link java.util.ServiceLoader} finds (module {@code
 * fastrtc-opentelemetry} provides one: spans {@code fastrtc.stt}, {@code fastrtc.model}, {@code
 * fastrtc.tts}), or the one set with {@link VoiceAgent.Builder#tracing}; with none, it traces
 * nothing. A hook rather than a tracing library here: the agent depends on none, and the tracer
 * stays the one the application gave its telemetry.
 */
public interface AgentTracing {

    /** Traces nothing. */
    AgentTracing NONE = step -> Step.NONE;

    /** Starts {@code step} ({@code stt}, {@code model} or {@code tts}) now; must not throw. */
    Step start(String step);

    /** One step, ended by {@link #close()} (again: nothing). */
    interface Step extends AutoCloseable {

        /** Records nothing. */
        Step NONE = () -> {
        };

        /** Makes this step current on this thread until closed, for what it calls (e.g. an HTTP client). */
        default Scope enter() {
            return Scope.NOOP;
        }

        /** The step failed with {@code error}. */
        default void failed(Throwable error) {
        }

        @Override
        void close();
    }
}
