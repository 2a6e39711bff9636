package io.fastrtc.stream;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * How many streams this machine can carry, across every {@link Stream} of the process (unlike
 * {@link Stream.Builder#concurrencyLimit}, which is per stream). A new connection of any transport
 * beyond it is refused with FastRTC's {@code concurrency_limit_reached} JSON (a WebSocket start
 * with close code 1013), so the streams already admitted keep their frame rate and latency instead
 * of everyone degrading together.
 *
 * <pre>{@code
 * Stream.builder().video(handler).concurrencyLimit(100)
 *         .capacity(Capacity.cpu(0.8))      // refuse once one more stream would pass 80 % of all cores
 *         .build();
 * }</pre>
 *
 * <p>Give several streams the same value, or each its own: the count and the measurement are the
 * whole process's either way.
 */
public final class Capacity {

    /** No check beyond the stream's limits: FastRTC's behaviour, and the default. */
    public static final Capacity UNLIMITED = new Capacity(0, 0, null, null);

    /** Weight of a new per-stream cost measurement in the smoothed estimate. */
    private static final double SMOOTHING = 0.3;

    private final int streams;
    private final double maxShare;
    private final DoubleSupplier cpu;
    /** The whole machine's CPU share: other processes' load counts against the streams' room too. */
    private final DoubleSupplier machine;
    /** Guarded by {@code this}: the smoothed CPU share one stream costs, NaN until measured. */
    private double perStream = Double.NaN;
    private double lastShare = Double.NaN;
    private int openAtSample;

    private Capacity(int streams, double maxShare, DoubleSupplier cpu, DoubleSupplier machine) {
        this.streams = streams;
        this.maxShare = maxShare;
        this.cpu = cpu;
        this.machine = machine;
    }

    /** At most {@code streams} connections open at once in this process, whatever the load. */
    public static Capacity fixed(int streams) {
        if (streams < 1) {
            throw new IllegalArgumentException("Capacity.fixed needs at least 1 stream; got " + streams);
        }
        return new Capacity(streams, 0, null, null);
    }

    /**
     * As many connections as fit under {@code maxShare} of all cores (0.8 = 80 % of the machine),
     * judged from measurement: the CPU use over the last second (the process's, or the whole
     * machine's when other processes use more) and the cost of one stream (the process's use
     * divided by the streams open, smoothed). An offer is refused when the
     * current use plus one more stream's cost would pass {@code maxShare}. The first connection is
     * always admitted; the cost is learnt only over a second in which the same streams ran (a stream
     * that is still connecting costs little), so until it is known, about two seconds after the first
     * stream started, further offers are refused rather than guessed at. Connections admitted since
     * the last measurement are counted at the estimated cost.
     *
     * @throws IllegalStateException if this JVM cannot measure its CPU time (use {@link #fixed} there)
     */
    public static Capacity cpu(double maxShare) {
        ProcessCpu process = new ProcessCpu();
        if (process.os.getProcessCpuTime() < 0) {
            throw new IllegalStateException("this JVM cannot measure its own CPU time, so Capacity.cpu cannot work;"
                    + " use Capacity.fixed(streams) with a count from a benchmark");
        }
        return cpu(maxShare, process, process::machine);
    }

    /** {@link #cpu(double)} with another source of the process's CPU share (tests drive it). */
    static Capacity cpu(double maxShare, DoubleSupplier cpuShare) {
        return cpu(maxShare, cpuShare, () -> Double.NaN);
    }

    /** ... and of the whole machine's. */
    static Capacity cpu(double maxShare, DoubleSupplier cpuShare, DoubleSupplier machineShare) {
        if (!(maxShare > 0 && maxShare <= 1)) {
            throw new IllegalArgumentException("Capacity.cpu takes a share of all cores above 0 and at most 1"
                    + " (0.8 = 80 %); got " + maxShare);
        }
        return new Capacity(0, maxShare, cpuShare, machineShare);
    }

    /**
     * Measures the process's CPU with {@code open} connections, updating the per-stream cost. The
     * streams' timers call it every second; with a measuring source it reads the share since the
     * last call.
     */
    synchronized void sample(int open) {
        if (cpu == null) {
            return;
        }
        double share = cpu.getAsDouble();
        if (Double.isNaN(share) || share < 0) {
            return;
        }
        // The same streams through the whole window: otherwise a stream still connecting would
        // look cheap and the estimate would admit too many.
        boolean steady = open == openAtSample;
        double all = machine.getAsDouble();
        lastShare = Double.isNaN(all) ? share : Math.max(share, all);
        openAtSample = open;
        if (steady && open > 0) {
            double cost = share / open;
            perStream = Double.isNaN(perStream) ? cost : perStream + SMOOTHING * (cost - perStream);
        }
    }

    /** Whether one more connection fits with {@code open} open in the process. */
    synchronized boolean admits(int open) {
        if (streams > 0) {
            return open < streams;
        }
        if (cpu == null || open == 0) {
            return true;
        }
        if (Double.isNaN(perStream)) {
            return false;
        }
        int admittedSince = Math.max(0, open - openAtSample);
        return lastShare + perStream * (admittedSince + 1) <= maxShare;
    }

    /** The smoothed CPU share of all cores one stream costs; NaN until measured or without a CPU check. */
    synchronized double perStreamShare() {
        return perStream;
    }

    @Override
    public String toString() {
        return streams > 0 ? "Capacity.fixed(" + streams + ")"
                : cpu != null ? "Capacity.cpu(" + maxShare + ")" : "Capacity.UNLIMITED";
    }

    /**
     * The process's CPU time since the previous reading as a share of all cores, from
     * {@code getProcessCpuTime}; a reading less than half a second after the previous one is NaN
     * (ignored by {@link #sample}), so several streams' timers neither shorten the window nor count
     * one window twice, which would pass a window with a stream starting in it for a steady one.
     */
    static final class ProcessCpu implements DoubleSupplier {
        private static final long MIN_WINDOW_NANOS = 500_000_000L;
        private final com.sun.management.OperatingSystemMXBean os = ManagementFactory
                .getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
        private final int cores = Runtime.getRuntime().availableProcessors();
        private long lastCpu = os.getProcessCpuTime();
        private long lastWall = System.nanoTime();
        private double machineShare = Double.NaN;

        @Override
        public synchronized double getAsDouble() {
            long wall = System.nanoTime();
            long used = os.getProcessCpuTime();
            if (used < 0) {
                return Double.NaN;
            }
            if (wall - lastWall < MIN_WINDOW_NANOS) {
                return Double.NaN;
            }
            double share = (double) (used - lastCpu) / ((wall - lastWall) * (double) cores);
            lastCpu = used;
            lastWall = wall;
            double load = os.getCpuLoad(); // since its previous call, i.e. over the same window
            machineShare = load < 0 ? Double.NaN : load;
            return share;
        }

        /** The whole machine's CPU share over the window of the last {@link #getAsDouble()}. */
        synchronized double machine() {
            return machineShare;
        }
    }
}
