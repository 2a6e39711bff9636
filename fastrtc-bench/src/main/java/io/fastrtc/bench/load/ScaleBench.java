package io.fastrtc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.bench.soak.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Voice at scale: how many concurrent voice-agent sessions one server process carries, over WebRTC
 * and over phone calls (Twilio Media Streams). The server ({@code BenchServer voice}: ReplyOnPause
 * with streaming end of turn answering with a pre-generated clip) and the load generator
 * ({@link ScaleClient}, every caller in one process) run pinned with {@code taskset}: by default to
 * different cores, or both to the same cores ({@code --server-cpus 0,1 --client-cpus 0,1}: "server and
 * generator share 2 cores"). Either way each process's CPU is read from its own {@code
 * /proc/<pid>/stat} and reported apart: the server's as % of one core and CPU-seconds per
 * session-minute, the generator's as % of one core and per caller. WebRTC callers are light callers
 * ({@code --caller rtp}, the default: the WebRTC wire protocol from Java with pre-encoded Opus, a small
 * fraction of a core for 50 callers) or libwebrtc peers ({@code --caller peer}, about as costly as the
 * server, so only the split layout leaves the server a core of its own). Runs every planned session count,
 * a fresh server per step; a step is sustained when every session connected and stayed, every turn was
 * answered, and the turn latency p90 is within {@value #P90_FACTOR} times the one-session p90. Writes
 * {@code fastrtc-bench/reports/voice-scale.md}.
 *
 * <pre>
 * options: --webrtc 1,10,25,50,75  --phone 1,50,150,300,400  --warmup S (10)  --measure S (15)
 *          --single S (30: the one-session step measures longer, its p90 is every step's yardstick)
 *          --server-cpus 0  --client-cpus 1  --caller rtp|peer  --report PATH  --logs DIR  --command TEXT
 * </pre>
 */
public final class ScaleBench {

    static final double P90_FACTOR = 1.5;
    /** A generator busier than this on its core may be late itself (it is one pacing thread plus libwebrtc's). */
    static final int GENERATOR_BOUND_PERCENT = 85;
    /** A step's CPU per session counts for capacity when its callers kept this share of the one-session turn rate. */
    static final double FULL_PACE = 0.8;
    /** Sharing cores, server and generator together busier than this share of them are CPU-bound. */
    static final double SATURATED = 0.9;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One step: what the generator saw and what both processes cost over the window. */
    record Step(int sessions, int connected, long dropped, int expected, int answered, double p50, double p90,
                double serverCpu, double clientCpu, double window, long serverThreads, long serverRssMb,
                long strayMs, double connectSeconds, long socketDrops, double maxTickGapMs, String load,
                String problem) {

        boolean sustained(double p90Limit) {
            return problem == null && connected == sessions && dropped == 0 && expected > 0 && answered == expected
                    && p90 <= p90Limit;
        }

        /** Turns spoken per session per minute: how fast callers got through their turns. */
        double turnsPerSessionMinute() {
            return expected / (double) sessions / (window / 60);
        }

        /** Server CPU seconds per session per minute of talk. */
        double cpuSecondsPerSessionMinute() {
            return serverCpu / sessions / (window / 60);
        }
    }

    private final Path logs;
    private final double warmup;
    private final double measure;
    private final double single;
    private final String serverCpus;
    private final String clientCpus;
    private final String caller;
    private final long ticks = LoadBench.ticksPerSecond();
    private int runNumber;

    private ScaleBench(Path logs, double warmup, double measure, double single, String serverCpus,
                       String clientCpus, String caller) {
        this.caller = caller;
        this.logs = logs;
        this.warmup = warmup;
        this.measure = measure;
        this.single = single;
        this.serverCpus = serverCpus;
        this.clientCpus = clientCpus;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> webrtc = List.of(1, 10, 25, 50, 75);
        List<Integer> phone = List.of(1, 50, 150, 300, 400);
        double warmup = 10;
        double measure = 15;
        double single = 30;
        String serverCpus = "0";
        String clientCpus = "1";
        String caller = "rtp";
        Path report = Path.of("fastrtc-bench/reports/voice-scale.md");
        Path logs = Path.of("fastrtc-bench/target/scale");
        String command = "scripts/bench-scale";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--webrtc" -> webrtc = counts(args[++i]);
                case "--phone" -> phone = counts(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--measure" -> measure = Double.parseDouble(args[++i]);
                case "--single" -> single = Double.parseDouble(args[++i]);
                case "--server-cpus" -> serverCpus = args[++i];
                case "--client-cpus" -> clientCpus = args[++i];
                case "--caller" -> caller = args[++i];
                case "--report" -> report = Path.of(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see ScaleBench's Javadoc");
            }
        }
        if (!webrtc.isEmpty()) {
            Machine.requireNamespace("scripts/bench-scale");
        }
        if (!caller.equals("rtp") && !caller.equals("peer")) {
            throw new IllegalArgumentException("--caller " + caller + ": use rtp (light callers) or peer (libwebrtc)");
        }
        ScaleBench bench = new ScaleBench(logs, warmup, measure, single, serverCpus, clientCpus, caller);
        Instant started = Instant.now();
        String loadBefore = Machine.loadAverages();
        StringBuilder md = new StringBuilder();
        md.append("# Voice at scale\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s with `%s` (io.fastrtc.bench.load.ScaleBench) on %s cores (%s),"
                        + " %s; %s. Load average (1/5/15 min) %s at the start", started.truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS), command, Machine.nproc(), Machine.cpuModel(),
                Machine.memTotal(), Machine.javaVersion(), loadBefore));
        List<Series> results = new ArrayList<>();
        results.add(bench.series("WebRTC", "webrtc", webrtc, 50));
        results.add(bench.series("Phone calls (Twilio Media Streams)", "phone", phone, 300));
        md.append(", ").append(Machine.loadAverages()).append(" at the end (")
                .append(Duration.between(started, Instant.now()).toSeconds()).append(" s). The machine may be shared:"
                        + " the `load` column is the 1/5/15-minute load average when the step started.\n\n");
        md.append(String.format(Locale.ROOT, """
                How it is measured: the server (`BenchServer voice`: `ReplyOnPause` with its default streaming end of \
                turn, libwebrtc's VAD on every frame, 16 kHz input, answering every turn with a pre-generated 1 s tone \
                at 24 kHz that it resamples, encodes and paces like any reply) runs pinned to CPU %s with `taskset`; \
                the load generator (`ScaleClient`, every simulated caller in one JVM driven by one pacing thread; \
                %s; phone callers one WebSocket client sending pre-encoded µ-law) is pinned to CPU %s: **%s**. \
                Each process's CPU is its own (`/proc/<pid>/stat`). Each caller says \"%s\" (espeak-ng, made once), waits for \
                the reply, listens until 300 ms of quiet, pauses 0.3-0.8 s, and speaks again. Turn latency = the \
                last speech audio sent to the first loud reply audio received (WebRTC to within 10 ms, the pacing \
                tick). A fresh server per step; %.0f s of warm-up, then a %.0f s window (%.0f s for one session) \
                over which both processes' CPU is read from `/proc/<pid>/stat`; turns counted are those whose \
                speech ended in the window. **Sustained**: every session connected and stayed, every turn \
                answered within %d ms, turn p90 ≤ %.1f × the one-session p90. Server CPU is given as %% of one \
                core and as CPU-seconds per session-minute (per-session cost, the figure least disturbed by other \
                load on the machine, but lower when callers wait longer and so talk less); capacity of a server \
                with two cores to itself is projected as 2 × 60 s ÷ (CPU-s per session-minute) at the largest \
                step where every turn was answered and callers kept ≥ %.0f %% of the one-session turn \
                rate. `stray loud audio`: reply audio heard while no reply was due (a reply arriving in pieces \
                on a starved server, a turn split in two; another caller's audio would show here too).

                """, serverCpus, bench.callerKind(), clientCpus, bench.layout(), ScaleClient.UTTERANCE, warmup, measure, single,
                ScaleClient.ANSWER_TIMEOUT_MS, P90_FACTOR, 100 * FULL_PACE));
        md.append(summary(results, bench.layout()));
        results.forEach(r -> md.append(r.markdown()));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md);
        System.out.println(md);
        System.out.println("written to " + report);
        System.exit(0);
    }

    private static List<Integer> counts(String list) {
        return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /**
     * A transport's steps as markdown, its largest sustained step (null if none), the largest step whose
     * CPU figure holds for callers talking at full pace (null if none), and the target.
     */
    record Series(String title, String markdown, Step best, Step costed, int target) {
    }

    /** The headline table, first in the report (the one {@code scripts/bench} quotes into BENCHMARKS.md). */
    private static String summary(List<Series> results, String layout) {
        StringBuilder md = new StringBuilder("| transport | sustained (all criteria), " + layout + " | server CPU-s"
                + " per session-minute at the largest step with every turn answered at full pace | CPU-bound projection,"
                + " server on 2 cores (100 % / 85 %) | target on 2 cores |\n|---|---|---|---|---|\n");
        for (Series r : results) {
            if (r.markdown().isEmpty()) {
                continue;
            }
            Step c = r.costed();
            double perMinute = c == null ? Double.NaN : c.cpuSecondsPerSessionMinute();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d |%n", r.title(),
                    r.best() == null ? "none" : r.best().sessions + " sessions", c == null ? "–"
                            : String.format(Locale.ROOT, "%.2f (%d sessions)", perMinute, c.sessions), c == null ? "–"
                            : (int) (120 / perMinute) + " / " + (int) (0.85 * 120 / perMinute), r.target()));
        }
        return md.append("\n").toString();
    }

    private Series series(String title, String transport, List<Integer> counts, int target) throws Exception {
        if (counts.isEmpty()) {
            return new Series(title, "", null, null, target);
        }
        StringBuilder md = new StringBuilder("## " + title + "\n\n");
        md.append("| sessions | turns answered / expected | turn p50 | turn p90 | server CPU, % of 1 core | server CPU"
                + " per session | CPU-s per session-minute | generator CPU, % of 1 core | generator CPU per caller |"
                + " server threads | server RSS | stray loud audio | load | sustained |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        double limit = Double.NaN;
        Step best = null;
        Step costed = null;
        double pace = Double.NaN;
        List<Integer> generatorBound = new ArrayList<>();
        List<String> behind = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        List<Integer> saturated = new ArrayList<>();
        for (int sessions : counts) {
            Step s = step(transport, sessions);
            if (Double.isNaN(limit) && s.problem == null && !Double.isNaN(s.p90)) {
                limit = P90_FACTOR * s.p90;
            }
            boolean ok = s.sustained(limit);
            md.append(String.format(Locale.ROOT, "| %d | %d / %d | %.0f ms | %.0f ms | %.1f %% | %.2f %% | %.2f | %.1f %%"
                            + " | %.2f %% | %d | %d MB | %d ms | %s | %s |%n", sessions, s.answered, s.expected, s.p50,
                    s.p90, 100 * s.serverCpu / s.window, 100 * s.serverCpu / s.window / sessions,
                    s.cpuSecondsPerSessionMinute(), 100 * s.clientCpu / s.window,
                    100 * s.clientCpu / s.window / sessions, s.serverThreads, s.serverRssMb,
                    s.strayMs, s.load, ok ? "yes" : "**no**" + (s.problem != null ? " (" + s.problem + ")"
                            : s.connected < sessions ? " (" + s.connected + " connected)" : s.dropped > 0
                            ? " (" + s.dropped + " dropped)" : "")));
            System.out.print(md.substring(md.lastIndexOf("\n| " + sessions + " |") + 1));
            if (ok && (best == null || sessions > best.sessions)) {
                best = s;
            }
            if (Double.isNaN(pace) && s.problem == null) {
                pace = s.turnsPerSessionMinute();
            }
            // Callers who wait longer talk less, and cost less: only a step at (nearly) full pace measures the cost.
            if (s.problem == null && s.dropped == 0 && s.connected == sessions && s.answered == s.expected
                    && s.turnsPerSessionMinute() >= FULL_PACE * pace && sessions > 1) {
                costed = s;
            }
            if (100 * s.clientCpu / s.window > GENERATOR_BOUND_PERCENT) {
                generatorBound.add(sessions);
            }
            if (s.problem == null) {
                gaps.add(String.format(Locale.ROOT, "%d: %.0f ms", sessions, s.maxTickGapMs));
            }
            if (s.socketDrops > 0) {
                behind.add(sessions + " (" + s.socketDrops + ")");
            }
            if (shared() && (s.serverCpu + s.clientCpu) / s.window > SATURATED * cpus(serverCpus).size()) {
                saturated.add(sessions);
            }
        }
        md.append(String.format(Locale.ROOT, "%nOne-session turn p90 limit ×%.1f = %.0f ms.", P90_FACTOR, limit));
        if (!generatorBound.isEmpty()) {
            md.append(String.format(Locale.ROOT, " At %s sessions the load generator used more than %d %% of its core:"
                    + " there it, not the server, may be what fell behind.", generatorBound, GENERATOR_BOUND_PERCENT));
        }
        md.append(" The generator's longest pause between pacing ticks (10 ms apart) in the window, by step: "
                + String.join(", ", gaps) + ".");
        if (!behind.isEmpty()) {
            md.append(" The light callers' socket overflowed (datagrams dropped) at " + String.join(", ", behind)
                    + " sessions: the generator's receive thread fell behind.");
        }
        if (!saturated.isEmpty()) {
            md.append(String.format(Locale.ROOT, " At %s sessions server and generator together used more than %.0f %%"
                    + " of their shared cores: CPU-bound.", saturated, 100 * SATURATED));
        }
        md.append(String.format(Locale.ROOT, " Largest sustained: **%s**, %s.", best == null ? "none"
                : best.sessions + " sessions", layout()));
        if (costed != null) {
            double perMinute = costed.cpuSecondsPerSessionMinute();
            md.append(String.format(Locale.ROOT, " Largest step with every turn answered at ≥ %.0f %% of the one-session"
                            + " pace: %d sessions, %.2f server CPU-s per session-minute; CPU-bound projection for the"
                            + " server on 2 cores: **%d sessions** (at 100 %%; %d at 85 %%).", 100 * FULL_PACE,
                    costed.sessions, perMinute, (int) (120 / perMinute), (int) (0.85 * 120 / perMinute)));
        }
        return new Series(title, md.append("\n\n").toString(), best, costed, target);
    }

    private Step step(String transport, int sessions) throws Exception {
        String tag = String.format(Locale.ROOT, "%02d-%s-%d", ++runNumber, transport, sessions);
        String load = Machine.loadAverages().replace(' ', '/');
        double window = sessions == 1 ? Math.max(measure, single) : measure;
        // The runtime admits 256 sessions by default (FastRtc.DEFAULT_MAX_TOTAL_CONNECTIONS): a larger step needs more.
        List<String> serverJvm = List.of("-Xmx1g", "-Dfastrtc.maxTotalConnections=" + Math.max(256, sessions));
        try (Child server = pinned("server", serverCpus, serverJvm, BenchServer.class,
                List.of("voice", "VP8", "0"), logs.resolve(tag + "-server.log"), line -> { })) {
            int port = server.awaitPort(Duration.ofSeconds(60));
            String url = "phone".equals(transport) ? "ws://127.0.0.1:" + port + "/telephone/handler"
                    : "http://127.0.0.1:" + port + "/webrtc/offer";
            long serverPid = server.pid();
            long[] serverTicks = new long[2];
            long[] clientTicks = new long[2];
            long[] threadsRss = new long[2];
            long[] clientPid = {0};
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            try (Child client = pinned("generator", clientCpus, List.of("-Xmx2g"), ScaleClient.class,
                    List.of(transport, url, Integer.toString(sessions), LoadBench.num(warmup), LoadBench.num(window),
                            caller),
                    logs.resolve(tag + "-generator.log"), line -> {
                        if (line.equals(LoadClient.MEASURE_START)) {
                            serverTicks[0] = LoadBench.cpuTicks(serverPid);
                            clientTicks[0] = LoadBench.cpuTicks(clientPid[0]);
                        } else if (line.equals(LoadClient.MEASURE_END)) {
                            serverTicks[1] = LoadBench.cpuTicks(serverPid);
                            clientTicks[1] = LoadBench.cpuTicks(clientPid[0]);
                            threadsRss[0] = LoadBench.status(serverPid, "Threads");
                            threadsRss[1] = LoadBench.rssKb(serverPid) / 1024;
                        } else if (line.startsWith(LoadClient.RESULT)) {
                            try {
                                result.complete(JSON.readTree(line.substring(LoadClient.RESULT.length())));
                            } catch (Exception e) {
                                result.completeExceptionally(e);
                            }
                        }
                    })) {
                clientPid[0] = client.pid();
                JsonNode json;
                try {
                    json = result.get((long) (120 + warmup + window + sessions), TimeUnit.SECONDS);
                } catch (Exception e) {
                    return failed(sessions, load, "no result from the generator: " + client.tail().lines()
                            .reduce((a, b) -> b).orElse(e.toString()));
                }
                List<Double> latency = LoadBench.doubles(json.path("latencyMs"));
                return new Step(sessions, json.path("connected").asInt(), json.path("dropped").asLong(),
                        json.path("turnsExpected").asInt(), json.path("turnsAnswered").asInt(),
                        Measured.percentile(latency, 50), Measured.percentile(latency, 90),
                        (serverTicks[1] - serverTicks[0]) / (double) ticks, (clientTicks[1] - clientTicks[0])
                        / (double) ticks, window, threadsRss[0], threadsRss[1], json.path("strayLoudMs").asLong(),
                        json.path("connectSeconds").asDouble(), json.path("generatorSocketDrops").asLong(),
                        json.path("generatorMaxTickGapMs").asDouble(), load, null);
            }
        } catch (RuntimeException e) {
            return failed(sessions, load, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
        }
    }

    private boolean shared() {
        return cpus(serverCpus).stream().anyMatch(cpus(clientCpus)::contains);
    }

    /** What the report calls the CPU layout: shared cores, or a core each. */
    String layout() {
        return shared() ? String.format(Locale.ROOT, "server and generator share %d cores (CPUs %s)",
                cpus(serverCpus).size(), serverCpus) : String.format(Locale.ROOT, "server on CPU %s, generator on CPU %s",
                serverCpus, clientCpus);
    }

    private String callerKind() {
        return caller.equals("rtp") ? "WebRTC callers are light callers (`--caller rtp`: ICE, DTLS-SRTP and SRTP spoken"
                + " from Java on one UDP socket, pre-encoded 20 ms Opus packets out, received packets judged loud by"
                + " decoding them with Concentus, Opus's 3-byte silence skipped once the decoder settled)" : "WebRTC callers are libwebrtc peers of one engine (`--caller peer`)";
    }

    /** The CPUs of a taskset list such as {@code 0,1} or {@code 0-1}. */
    static List<Integer> cpus(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }

    private static Step failed(int sessions, String load, String problem) {
        double nan = Double.NaN;
        return new Step(sessions, 0, 0, 0, 0, nan, nan, nan, nan, 1, 0, 0, 0, nan, 0, nan, load, problem);
    }

    /** A JVM running {@code main}, pinned to {@code cpus} with taskset. */
    private static Child pinned(String name, String cpus, List<String> jvmArgs, Class<?> main, List<String> args,
                                Path log, java.util.function.Consumer<String> lines) throws java.io.IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this benchmark"));
        List<String> command = new ArrayList<>(List.of("taskset", "-c", cpus, java));
        command.addAll(jvmArgs);
        command.add(main.getName());
        command.addAll(args);
        return Child.command(name, command, log, lines);
    }
}
