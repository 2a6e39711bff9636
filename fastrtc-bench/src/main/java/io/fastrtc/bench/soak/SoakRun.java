package io.fastrtc.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The per-cycle results of one soak run (one server JVM) and the figures derived from them. */
final class SoakRun {

    /** RSS counts as flat when its slope over the last third is at most this share of the first third's... */
    static final double PLATEAU_RATIO = 0.25;
    /** ...or at most this many MB per cycle. */
    static final double PLATEAU_FLOOR_MB = 0.05;
    /** Cycles of the rolling minimum behind {@link #inUseFloorSlope}. */
    static final int FLOOR_WINDOW = 5;

    /**
     * One cycle.
     *
     * @param seconds wall time of the whole cycle, teardown and sampling included
     * @param framesEchoed flipped frames the client received during the one-second stream
     * @param rampError luma error of the last echoed frame against the flipped pattern (NaN if none)
     * @param problem what went wrong in this cycle, or null
     */
    record Cycle(int number, ServerSample server, double seconds, long framesEchoed, double rampError,
                 String problem) {
    }

    /** A least-squares line over cycles {@code from..to}. */
    record Slope(int from, int to, double perCycle) {
    }

    private final String name;
    private final boolean fix;
    private final List<String> serverCommand;
    private final List<Cycle> cycles = new ArrayList<>();
    private String abortReason;

    SoakRun(String name, boolean fix, List<String> serverCommand) {
        this.name = name;
        this.fix = fix;
        this.serverCommand = List.copyOf(serverCommand);
    }

    String name() {
        return name;
    }

    boolean fix() {
        return fix;
    }

    List<String> serverCommand() {
        return serverCommand;
    }

    void add(Cycle cycle) {
        cycles.add(cycle);
    }

    List<Cycle> cycles() {
        return cycles;
    }

    void abort(String reason) {
        abortReason = reason;
    }

    /** Why the run stopped before its last cycle, or null. */
    String abortReason() {
        return abortReason;
    }

    Cycle first() {
        return cycles.get(0);
    }

    Cycle last() {
        return cycles.get(cycles.size() - 1);
    }

    List<Cycle> failures() {
        return cycles.stream().filter(c -> c.problem() != null).toList();
    }

    /** Slope of malloc in-use after warm-up: the leak figure. */
    Slope inUseSlope(int warmup) {
        return slope(warmup + 1, cycles.size(), c -> c.server().inUseMb());
    }

    /**
     * The same slope over the rolling minimum of {@value #FLOOR_WINDOW} cycles: blind to memory held
     * for only a few seconds (single samples jump by 5-15 MB for 2-3 cycles and drop back), still
     * showing any steady growth.
     */
    Slope inUseFloorSlope(int warmup) {
        return slope(warmup + 1, cycles.size(), c -> inUseFloorMb(c.number()));
    }

    private double inUseFloorMb(int number) {
        double min = Double.MAX_VALUE;
        for (int n = Math.max(1, number - FLOOR_WINDOW + 1); n <= number; n++) {
            min = Math.min(min, cycles.get(n - 1).server().inUseMb());
        }
        return min;
    }

    Slope rssSlopeFirstThird() {
        return slope(1, Math.max(2, cycles.size() / 3), c -> c.server().rssMb());
    }

    Slope rssSlopeLastThird() {
        return slope(cycles.size() - cycles.size() / 3 + 1, cycles.size(), c -> c.server().rssMb());
    }

    Slope threadSlope(int warmup) {
        return slope(warmup + 1, cycles.size(), c -> c.server().threads());
    }

    boolean rssPlateaus() {
        double last = rssSlopeLastThird().perCycle();
        return last <= PLATEAU_FLOOR_MB || last <= PLATEAU_RATIO * rssSlopeFirstThird().perCycle();
    }

    int maxThreadsAfter(int warmup) {
        return cycles.stream().filter(c -> c.number() > warmup).mapToInt(c -> c.server().threads()).max().orElse(0);
    }

    double meanSeconds() {
        return cycles.stream().mapToDouble(Cycle::seconds).average().orElse(Double.NaN);
    }

    /** Least squares over the cycles numbered {@code from..to} (1-based, inclusive) that exist. */
    Slope slope(int from, int to, ToDoubleFunction<Cycle> value) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Cycle c : cycles) {
            if (c.number() >= from && c.number() <= to) {
                double x = c.number();
                double y = value.applyAsDouble(c);
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
        }
        double denominator = n * sxx - sx * sx;
        return new Slope(from, to, n < 2 || denominator == 0 ? Double.NaN : (n * sxy - sx * sy) / denominator);
    }
}
