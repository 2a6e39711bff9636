package io.fastrtc.internal;

/**
 * An audio handler that says when its {@code emit} may have output, so the session's output thread
 * can sleep between replies instead of asking after every input frame: a thread wake-up per 20 ms
 * frame per session was, with the input thread's, most of a phone server's CPU (in the kernel's
 * context switches).
 */
public interface OutputSignal {

    /** True if this handler signals; otherwise the output thread asks it after every input frame. */
    boolean signalsOutput();

    /** {@code wake} is to be run whenever {@code emit} may have something new to give. */
    void onOutput(Runnable wake);

    /** True while {@code emit} has nothing to give until {@code wake} runs. */
    boolean outputIdle();
}
