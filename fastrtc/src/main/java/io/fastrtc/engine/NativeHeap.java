package io.fastrtc.engine;

import io.fastrtc.internal.Threads;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands native memory that libwebrtc freed back to the OS, a little after connections close.
 *
 * <p>glibc keeps freed memory in per-thread arenas, and libwebrtc frees from many threads, so
 * without trimming a server's RSS climbs with every connection although nothing more is in use
 * (the leak soak measured "held" memory growing five times faster than "in use"). The JVM's own
 * diagnostic command {@code System.trim_native_heap} (JDK 17.0.9 and later) calls
 * {@code malloc_trim}; no native code of ours is needed. Where the command is missing, nothing
 * happens. Set {@code fastrtc.engine.trimNativeHeap=false} to turn it off.
 */
final class NativeHeap {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);
    private static final boolean ENABLED = !"false".equals(System.getProperty("fastrtc.engine.trimNativeHeap"));
    /** Closes within this time share one trim (a trim walks every arena: about a millisecond). */
    private static final long DELAY_MILLIS = 1000;
    private static final AtomicBoolean PENDING = new AtomicBoolean();
    private static volatile boolean unavailable = !ENABLED;

    private NativeHeap() {
    }

    /**
     * Process-wide, not per runtime, because the native heap is: one trim serves the connections of
     * every runtime and engine in the JVM. Its thread ends 10 s after the last trim.
     */
    private static final class Trimmer {
        static final ScheduledExecutorService INSTANCE = Threads.idleTimer("fastrtc-trim", 10);
    }

    /** Schedules a trim, unless one is already due. */
    static void trimSoon() {
        if (!unavailable && PENDING.compareAndSet(false, true)) {
            Trimmer.INSTANCE.schedule(() -> {
                PENDING.set(false);
                trim();
            }, DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Trims now; false if this JVM cannot. */
    static boolean trim() {
        try {
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[0], new String[0]);
            LOG.debug("{}", String.valueOf(result).strip());
            return true;
        } catch (Exception | LinkageError e) {
            unavailable = true;
            LOG.debug("this JVM cannot trim the native heap; RSS may keep memory libwebrtc freed", e);
            return false;
        }
    }
}
