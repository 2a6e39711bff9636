package io.fastrtc.bench.soak;

import io.fastrtc.engine.RtcEngine;
import io.fastrtc.testing.Patterns;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.TestPeer;
import io.fastrtc.video.VideoFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Leak soak: many connect / stream / disconnect cycles against a real {@code Stream} server in its
 * own JVM, sampling the server's RSS, glibc malloc in-use bytes and threads after every cycle, once
 * with the native-reference workaround (the default) and once without it. Writes a Markdown report.
 *
 * <p>Run it with {@code scripts/bench-soak [cycles]}; it must run inside the test network
 * namespace ({@code scripts/netns/bin/java}), which the server JVM it starts inherits.
 *
 * <pre>
 * options: --cycles N (300)  --warmup N (50, capped at a third of the cycles)
 *          --only fix|nofix  --report PATH (fastrtc-bench/reports/leak-soak.md)
 *          --logs DIR (fastrtc-bench/target)  --command TEXT (shown in the report)
 *          --server-jvm-arg ARG (repeatable; e.g. -XX:NativeMemoryTracking=summary)
 *          --server-wrapper COMMAND (runs the server JVM through it, e.g. "heaptrack -o /tmp/soak")
 * </pre>
 */
public final class LeakSoak {

    static final int WIDTH = 640;
    static final int HEIGHT = 480;
    static final int FPS = 30;
    static final Duration STREAM_TIME = Duration.ofSeconds(1);
    /**
     * Server JVM options of both runs. A fixed, pre-touched heap keeps the Java heap out of the RSS
     * figures: otherwise RSS grows while the collector first touches heap pages, which looks like a leak.
     */
    static final List<String> SERVER_JVM = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch");
    static final String NO_FIX = "-Dfastrtc.engine.releaseNativeRefs=false";
    private static final int MAX_FAILURES_IN_A_ROW = 5;

    record Options(int cycles, int warmup, String only, Path report, Path logs, String command,
                   List<String> serverJvmArgs, List<String> serverWrapper) {

        static Options parse(String[] args) {
            int cycles = 300;
            Integer warmup = null;
            String only = null;
            Path report = Path.of("fastrtc-bench/reports/leak-soak.md");
            Path logs = Path.of("fastrtc-bench/target");
            String command = "java " + LeakSoak.class.getName() + " " + String.join(" ", args);
            List<String> serverJvmArgs = new ArrayList<>();
            List<String> serverWrapper = List.of();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--cycles" -> cycles = Integer.parseInt(require(args[i], value));
                    case "--warmup" -> warmup = Integer.parseInt(require(args[i], value));
                    case "--only" -> only = require(args[i], value);
                    case "--report" -> report = Path.of(require(args[i], value));
                    case "--logs" -> logs = Path.of(require(args[i], value));
                    case "--command" -> command = require(args[i], value);
                    case "--server-jvm-arg" -> serverJvmArgs.add(require(args[i], value));
                    case "--server-wrapper" -> serverWrapper = List.of(require(args[i], value).trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; known: --cycles N, --warmup N, --only fix|nofix, --report PATH, --logs DIR, --command TEXT,"
                            + " --server-jvm-arg ARG, --server-wrapper COMMAND");
                }
                i++;
            }
            if (cycles < 6) {
                throw new IllegalArgumentException("--cycles must be at least 6 to fit slopes; got " + cycles);
            }
            if (only != null && !only.equals("fix") && !only.equals("nofix")) {
                throw new IllegalArgumentException("--only takes fix or nofix; got " + only);
            }
            int w = Math.min(warmup == null ? 50 : warmup, cycles / 3);
            return new Options(cycles, w, only, report, logs, command, List.copyOf(serverJvmArgs), serverWrapper);
        }

        private static String require(String option, String value) {
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    private LeakSoak() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Machine.requireNamespace("scripts/bench-soak");
        List<SoakRun> runs = new ArrayList<>();
        long started = System.nanoTime();
        if (options.only() == null || options.only().equals("fix")) {
            runs.add(run("with fix", true, options));
        }
        if (options.only() == null || options.only().equals("nofix")) {
            runs.add(run("without fix", false, options));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        SoakReport report = new SoakReport(runs, options, took);
        System.out.println();
        System.out.println(report.summary());
        report.write(options.report());
        System.out.println("report written to " + options.report().toAbsolutePath());
        System.exit(runs.stream().allMatch(r -> r.abortReason() == null) ? 0 : 1);
    }

    private static SoakRun run(String name, boolean fix, Options options) throws Exception {
        List<String> jvm = new ArrayList<>(SERVER_JVM);
        jvm.addAll(options.serverJvmArgs());
        if (!fix) {
            jvm.add(NO_FIX);
        }
        Path log = options.logs().resolve("soak-server-" + (fix ? "fix" : "nofix") + ".log");
        System.out.printf(Locale.ROOT, "%n== %s: %d cycles, server log %s%n", name, options.cycles(), log);
        System.out.println("cycle   secs  echoed  rss_MB  inuse_MB  held_MB  threads  problem");
        VideoFrame pattern = Patterns.verticalRamp(WIDTH, HEIGHT);
        try (ServerProcess server = ServerProcess.start(options.serverWrapper(), jvm, log);
             RtcEngine clients = RtcEngine.create()) {
            SoakRun run = new SoakRun(name, fix, server.command());
            int failuresInARow = 0;
            for (int n = 1; n <= options.cycles(); n++) {
                SoakRun.Cycle cycle = cycle(n, fix, server, clients, pattern);
                if (cycle == null) {
                    run.abort("the server JVM exited with status " + server.exitValue() + " during cycle " + n
                            + "; its last output:\n" + server.tail());
                    break;
                }
                run.add(cycle);
                ServerSample s = cycle.server();
                System.out.printf(Locale.ROOT, "%5d %6.2f %7d %7.1f %9.2f %8.1f %8d  %s%n", n, cycle.seconds(),
                        cycle.framesEchoed(), s.rssMb(), s.inUseMb(), s.heldMb(), s.threads(),
                        cycle.problem() == null ? "" : cycle.problem());
                failuresInARow = cycle.problem() == null ? 0 : failuresInARow + 1;
                if (failuresInARow >= MAX_FAILURES_IN_A_ROW) {
                    run.abort(failuresInARow + " cycles in a row failed, the last with: " + cycle.problem());
                    break;
                }
            }
            if (run.abortReason() != null) {
                System.out.println("run aborted: " + run.abortReason());
            }
            return run;
        }
    }

    /**
     * One connect / stream / disconnect cycle, then the server's figures once it is idle again;
     * null if the server JVM died.
     */
    private static SoakRun.Cycle cycle(int n, boolean fix, ServerProcess server, RtcEngine clients,
                                       VideoFrame pattern) throws Exception {
        long started = System.nanoTime();
        String id = "soak-" + (fix ? "fix" : "nofix") + "-" + n;
        String problem = null;
        long echoed = 0;
        double rampError = Double.NaN;
        try (TestPeer peer = new TestPeer(clients, id)) {
            // The data channel is what tells the server that the client hung up, as with a browser.
            peer.sendVideo(FPS, k -> pattern).dataChannel("text");
            Signaling.Reply reply = Signaling.connect(peer, server.offerUrl(), id);
            if (!reply.isAnswer()) {
                problem = "offer refused (" + reply.status() + "): " + reply.json();
            } else if (!peer.awaitConnected(Duration.ofSeconds(15))) {
                problem = "not connected within 15 s (states " + peer.states() + ")";
            } else if (!waitFor(() -> peer.framesReceived() > 0, Duration.ofSeconds(10))) {
                problem = "no echoed frame within 10 s of connecting";
            } else {
                long before = peer.framesReceived();
                Thread.sleep(STREAM_TIME.toMillis());
                echoed = peer.framesReceived() - before;
                rampError = Patterns.rampError(peer.lastFrame(), true);
                if (rampError > 8) {
                    problem = String.format(Locale.ROOT, "echoed frames are not the flipped pattern (error %.1f)",
                            rampError);
                }
            }
        } catch (RuntimeException e) {
            problem = "client failed: " + e;
        }
        ServerSample sample = awaitIdle(server, Duration.ofSeconds(30));
        if (!server.isAlive()) {
            return null;
        }
        if (sample == null) {
            problem = (problem == null ? "" : problem + "; ") + "server still holds the connection 30 s after"
                    + " the client closed";
            sample = server.sample();
        }
        return new SoakRun.Cycle(n, sample, (System.nanoTime() - started) / 1e9, echoed, rampError, problem);
    }

    /** The server's figures once it has no connection and no open session left; null on timeout or exit. */
    private static ServerSample awaitIdle(ServerProcess server, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.isAlive() && System.nanoTime() < deadline) {
            try {
                ServerSample s = server.sample();
                if (s.connections() == 0 && s.sessions() == 0) {
                    return s;
                }
            } catch (IOException e) {
                // not answering right now; the deadline decides
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
