package io.fastrtc.internal;

import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread creation for the library: virtual threads when the JVM has them (21+), daemon platform
 * threads otherwise. Java 17 stays the baseline, so virtual threads are reached reflectively.
 */
public final class Threads {

    private static final Method OF_VIRTUAL = find(Thread.class, "ofVirtual");

    private Threads() {
    }

    /** True when this JVM runs our per-connection work on virtual threads. */
    public static boolean virtual() {
        return OF_VIRTUAL != null;
    }

    /** A factory for blocking per-connection work (handler calls, pacing loops). */
    public static ThreadFactory workers(String prefix) {
        if (OF_VIRTUAL != null) {
            try {
                Object builder = OF_VIRTUAL.invoke(null);
                Class<?> builderType = Class.forName("java.lang.Thread$Builder");
                builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix + "-", 1L);
                return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            } catch (ReflectiveOperationException e) {
                // fall through to platform threads
            }
        }
        return daemon(prefix);
    }

    /** A factory of daemon platform threads named {@code prefix-N}. */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** An executor that runs each task on its own new (virtual when possible) thread. */
    public static Executor perTask(String prefix) {
        ThreadFactory factory = workers(prefix);
        return task -> factory.newThread(task).start();
    }

    /**
     * A one-thread scheduler whose daemon thread ends once it has been idle for {@code idleSeconds}
     * and comes back with the next task: for process-wide timers that must not hold a thread for
     * nothing. Cancelled tasks are dropped at once.
     */
    public static ScheduledThreadPoolExecutor idleTimer(String name, long idleSeconds) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon(name));
        timer.setKeepAliveTime(idleSeconds, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static Method find(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
