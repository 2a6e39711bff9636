package io.fastrtc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fastrtc.bench.soak.Machine;
import io.fastrtc.engine.AudioReception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load benchmark: our servers against a FastRTC-style aiortc server, each in its own process,
 * driven by a {@link LoadClient} process, all inside the test network namespace. For each server it
 * steps the stream count up until a point is no longer sustained, repeating each point, then runs
 * the overload check and writes {@code BENCHMARKS.md}.
 *
 * <pre>
 * options: --quick  --report PATH (BENCHMARKS.md)  --logs DIR (fastrtc-bench/target/load)
 *          --baseline PATH (fastrtc-bench/baseline/aiortc_server.py)  --command TEXT (shown in the report)
 * </pre>
 */
public final class LoadBench {

    static final String PYTHON = "/usr/bin/python3";
    /**
     * Extra attempts for a pass-through run in which a stream stalled: libwebrtc's encoder stops
     * taking looped-back frames in a third to most of the connections ({@code PeerSession.loopBackVideo}),
     * which says nothing about the cost of the ones it takes.
     */
    static final int STALL_RETRIES = 8;
    static final int PASS_THROUGH_MAX = 2;
    /** The overload run checks a bound rather than measuring a figure: two runs, to see it holds twice. */
    static final int OVERLOAD_RUNS = 2;
    /** A video stream without a new frame for this long has stalled (it is not merely slow). */
    static final double STALL_MS = 2000;
    /** A fixed, pre-touched heap: it shows in the idle RSS, so RSS growth under load is what streams add. */
    static final List<String> SERVER_JVM = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How hard and how long: the full run or {@code --quick}. */
    record Plan(boolean quick, int runs, List<Integer> videoCounts, List<Integer> audioCounts, double warmup,
                double window, double connectTimeout, Duration budget, int h264Runs) {

        static Plan of(boolean quick) {
            return quick
                    ? new Plan(true, 1, List.of(1, 2, 4), List.of(1, 4), 3, 4, 15, Duration.ofMinutes(4), 0)
                    : new Plan(false, 3, List.of(1, 2, 3, 4, 6, 8, 12, 16), List.of(1, 4, 16, 32), 3, 6, 15,
                            Duration.ofMinutes(40), 1);
        }
    }

    /**
     * One server under test.
     *
     * @param engine {@code ours} or {@code aiortc}
     * @param command how the server is started, as shown in the report
     * @param clientCodec the codec the load generator puts first in its offers, or {@code -}
     */
    record Series(String id, String engine, String work, boolean video, String codec, List<String> command,
                  String clientCodec) {

        boolean passThrough() {
            return command.contains("passthrough");
        }

        static Series ours(String id, String work, boolean video, String kind, String codec) {
            return new Series(id, "ours", work, video, codec, List.of(BenchServer.class.getSimpleName(), kind, codec),
                    video ? codec : "-");
        }

        static Series aiortc(String id, String work, boolean video, Path script) {
            return new Series(id, "aiortc", work, video, video ? "VP8" : "-",
                    List.of(PYTHON, script.toString(), video ? "video" : "audio"), video ? "VP8" : "-");
        }
    }

    /** A series' measured points, in stream-count order, and why stepping stopped. */
    record SeriesResult(Series series, List<Point> points, String stoppedBecause) {

        /** The largest stream count sustained, 0 if none. */
        int sustained() {
            int best = 0;
            for (Point p : points) {
                if (p.sustained()) {
                    best = Math.max(best, p.streams());
                }
            }
            return best;
        }

        Point at(int streams) {
            return points.stream().filter(p -> p.streams() == streams).findFirst().orElse(null);
        }
    }

    /**
     * The runs of one stream count.
     *
     * @param discarded pass-through attempts thrown away because a stream stalled (see {@link #STALL_RETRIES})
     */
    record Point(boolean video, int streams, List<Measured> runs, int discarded) {

        /** Sustained in most runs. */
        boolean sustained() {
            return runs.stream().filter(r -> r.sustained(video)).count() * 2 > runs.size();
        }
    }

    /**
     * The overload runs: more clients than the server carries, against a configured capacity
     * ({@code Capacity.fixed(limit)}, clients back to back) and a measured one
     * ({@code Capacity.cpu}, clients {@link #CPU_SPACING_S} apart), and what the admitted ones saw.
     */
    record Overload(int limit, int clients, Series series, List<Measured> fixedRuns, int cpuClients,
            List<Measured> cpuRuns) {
    }

    /** The audio echo beside the video streams in the {@code mixed} server. */
    static final Series MIXED_AUDIO = Series.ours("ours-mixed-audio", "audio echo beside video", false, "mixed", "VP8");

    /**
     * Video streams and, in the same server process, one audio echo: whether the audio keeps up
     * (glitches, pulse RTT) when the video is at and past what the machine carries, and past it again
     * with the video's admission control on ({@code admitted}, {@code Capacity.fixed(limit)}); the runs
     * of each row.
     */
    record Mixed(Series series, List<List<Measured>> rows, int limit, List<Measured> admitted) {
    }

    /** Seconds between clients in the measured-capacity run: a new stream's cost shows after about two. */
    static final double CPU_SPACING_S = 2.5;

    private final Plan plan;
    private final Path logs;
    private final Path baseline;
    private final long started = System.nanoTime();
    private final long ticksPerSecond = ticksPerSecond();
    private int runNumber;

    private LoadBench(Plan plan, Path logs, Path baseline) {
        this.plan = plan;
        this.logs = logs;
        this.baseline = baseline;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path report = Path.of("BENCHMARKS.md");
        Path logs = Path.of("fastrtc-bench/target/load");
        Path baseline = Path.of("fastrtc-bench/baseline/aiortc_server.py");
        String command = "java " + LoadBench.class.getName() + " " + String.join(" ", args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--report" -> report = Path.of(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--baseline" -> baseline = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --quick, --report PATH, --logs DIR, --baseline PATH, --command TEXT");
            }
        }
        Machine.requireNamespace("scripts/bench");
        clearLogs(logs);
        LoadBench bench = new LoadBench(Plan.of(quick), logs, baseline);
        LoadReport out = new LoadReport(bench.plan, command, LoadReport.Snapshot.now());
        bench.runAll(out);
        out.finish(LoadReport.Snapshot.now(), Duration.ofNanos(System.nanoTime() - bench.started));
        Files.writeString(report, out.markdown(), StandardCharsets.UTF_8);
        System.out.println(out.summary());
        System.out.println("report written to " + report.toAbsolutePath());
        System.exit(0);
    }

    /** Removes the previous run's process logs, so the directory holds only this run's. */
    private static void clearLogs(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return;
        }
        try (var files = Files.list(logs)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d+-.*-(server|client)\\.log")).toList()) {
                Files.delete(f);
            }
        }
    }

    private void runAll(LoadReport out) throws Exception {
        Series aiortcVideo = Series.aiortc("aiortc-flip", "video flip", true, baseline);
        Series oursVideo = Series.ours("ours-flip-vp8", "video flip", true, "flip", "VP8");
        Series passThrough = Series.ours("ours-passthrough-vp8", "native pass-through", true, "passthrough", "VP8");
        Series aiortcAudio = Series.aiortc("aiortc-echo", "audio echo", false, baseline);
        Series oursAudio = Series.ours("ours-echo", "audio echo", false, "echo", "VP8");
        out.add(sweep(aiortcVideo, plan.runs(), Integer.MAX_VALUE));
        SeriesResult ours = sweep(oursVideo, plan.runs(), Integer.MAX_VALUE);
        out.add(ours);
        int carried = Math.max(1, ours.sustained());
        out.overload(overload(oursVideo, carried));
        out.mixed(mixed(carried));
        out.add(sweep(aiortcAudio, plan.runs(), Integer.MAX_VALUE));
        out.add(sweep(oursAudio, plan.runs(), Integer.MAX_VALUE));
        // Where the flip stream is sustained (the overhead compares the two there), and at most
        // PASS_THROUGH_MAX streams: with most attempts stalling, each point costs minutes.
        out.add(sweep(passThrough, plan.runs(), Math.min(carried, PASS_THROUGH_MAX)));
        if (plan.h264Runs() > 0) {
            out.add(sweep(Series.ours("ours-flip-h264", "video flip", true, "flip", "H264"), plan.h264Runs(),
                    Integer.MAX_VALUE));
        }
    }

    private boolean overBudget() {
        return System.nanoTime() - started > plan.budget().toNanos();
    }

    private SeriesResult sweep(Series series, int runsPerPoint, int maxStreams) throws Exception {
        List<Point> points = new ArrayList<>();
        String stopped = null;
        for (int streams : series.video() ? plan.videoCounts() : plan.audioCounts()) {
            if (streams > maxStreams) {
                stopped = "measured only up to " + maxStreams + " stream" + (maxStreams == 1 ? "" : "s")
                        + " (at most the flip stream's sustained count, and " + PASS_THROUGH_MAX + ")";
                break;
            }
            if (overBudget() && !points.isEmpty()) { // every series gets its first point
                stopped = "time budget of " + plan.budget().toMinutes() + " min used up before " + streams + " streams";
                break;
            }
            List<Measured> runs = new ArrayList<>();
            int discarded = 0;
            for (int r = 0; r < runsPerPoint; r++) {
                Measured run = run(series, streams, 0, true, 0);
                for (int retry = 0; retry < STALL_RETRIES && series.passThrough() && run.stalled(); retry++) {
                    discarded++;
                    run = run(series, streams, 0, true, 0);
                }
                runs.add(run);
            }
            Point point = new Point(series.video(), streams, runs, discarded);
            points.add(point);
            System.out.printf(Locale.ROOT, "%s %d streams: %s%n", series.id(), streams,
                    point.sustained() ? "sustained" : "NOT sustained");
            if (!point.sustained()) {
                stopped = streams + " streams not sustained";
                break;
            }
        }
        return new SeriesResult(series, points, stopped == null ? "last planned point" : stopped);
    }

    private Overload overload(Series series, int limit) throws Exception {
        int clients = Math.max(limit + 2, 2 * limit);
        int cpuClients = limit + 3;
        List<Measured> fixed = new ArrayList<>();
        List<Measured> cpu = new ArrayList<>();
        for (int r = 0; r < Math.min(plan.runs(), OVERLOAD_RUNS); r++) {
            fixed.add(run(series, clients, limit, false, 0));
            cpu.add(run(series, cpuClients, BenchServer.CPU_CAPACITY, false, CPU_SPACING_S));
        }
        return new Overload(limit, clients, series, fixed, cpuClients, cpu);
    }

    /** One server process, one load-generator process, one measuring window. */
    private Measured run(Series series, int streams, int limit, boolean warm, double spacing) throws Exception {
        return run(series, streams, limit, warm, spacing, false);
    }

    /** Video streams past what the machine carries, without admission control, and one audio stream beside them. */
    private Mixed mixed(int carried) throws Exception {
        Series series = Series.ours("ours-mixed-vp8", "video flip and an audio echo in one process", true, "mixed", "VP8");
        List<List<Measured>> rows = new ArrayList<>();
        for (int streams : List.of(1, carried, carried + 2)) {
            rows.add(mixedRuns(series, streams, 0));
        }
        return new Mixed(series, rows, carried, mixedRuns(series, carried + 2, carried));
    }

    private List<Measured> mixedRuns(Series series, int streams, int limit) throws Exception {
        List<Measured> runs = new ArrayList<>();
        for (int r = 0; r < plan.runs(); r++) {
            runs.add(run(series, streams, limit, true, 0, true));
        }
        return runs;
    }

    private Measured run(Series series, int streams, int limit, boolean warm, double spacing, boolean audioProbe)
            throws Exception {
        int n = ++runNumber;
        String tag = String.format(Locale.ROOT, "%03d-%s-%d", n, series.id(), streams);
        double load = Machine.loadAverage();
        List<String> problems = new ArrayList<>();
        try (Child server = startServer(series, limit, logs.resolve(tag + "-server.log"))) {
            int port = server.awaitPort(Duration.ofSeconds(60));
            Thread.sleep(1500);
            long idleRss = rssKb(server.pid());
            long[] cpuStart = {0};
            long[] cpuEnd = {0};
            long[] rssEnd = {0};
            CompletableFuture<JsonNode> result = new CompletableFuture<>();
            List<String> clientArgs = new ArrayList<>(List.of("http://127.0.0.1:" + port + "/webrtc/offer",
                    series.video() ? "video" : "audio", Integer.toString(streams), num(plan.warmup()), num(plan.window()),
                    num(plan.connectTimeout()), series.clientCodec(), warm ? "warm" : "cold", num(spacing)));
            if (audioProbe) {
                clientArgs.add("http://127.0.0.1:" + port + BenchServer.AUDIO_PATH + "/webrtc/offer");
            }
            long serverPid = server.pid();
            try (Child client = Child.java("load generator", List.of("-Xmx1g"), LoadClient.class, clientArgs,
                    logs.resolve(tag + "-client.log"), line -> {
                        if (line.equals(LoadClient.MEASURE_START)) {
                            cpuStart[0] = cpuTicks(serverPid);
                        } else if (line.equals(LoadClient.MEASURE_END)) {
                            cpuEnd[0] = cpuTicks(serverPid);
                            rssEnd[0] = rssKb(serverPid);
                        } else if (line.startsWith(LoadClient.RESULT)) {
                            try {
                                result.complete(JSON.readTree(line.substring(LoadClient.RESULT.length())));
                            } catch (IOException e) {
                                result.completeExceptionally(e);
                            }
                        }
                    })) {
                double limitSeconds = 60 + (streams + 1) * (plan.connectTimeout() + 5 + spacing) + plan.warmup() + plan.window();
                JsonNode json;
                try {
                    json = result.get((long) limitSeconds, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems.add("the load generator gave no result within " + (long) limitSeconds + " s: " + e
                            + "; its last output: " + client.tail());
                    return failedRun(streams, problems, load);
                }
                client.waitFor(Duration.ofSeconds(20));
                return measured(series, streams, json, (cpuEnd[0] - cpuStart[0]) / (double) ticksPerSecond,
                        idleRss, rssEnd[0], load);
            }
        } catch (RuntimeException e) {
            problems.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
            return failedRun(streams, problems, load);
        }
    }

    private Child startServer(Series series, int limit, Path log) throws IOException {
        if (series.engine().equals("aiortc")) {
            return Child.command(series.id(), series.command(), log, line -> { });
        }
        List<String> args = new ArrayList<>(series.command().subList(1, series.command().size()));
        args.add(Integer.toString(limit));
        return Child.java(series.id(), SERVER_JVM, BenchServer.class, args, log, line -> { });
    }

    private static Measured failedRun(int streams, List<String> problems, double load) {
        double nan = Double.NaN;
        return new Measured(streams, 0, List.of(), problems, 0, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0, nan, null,
                load, nan, null);
    }

    /** The mixed server's audio stream as one audio peer saw it, from the result's {@code audioProbe}. */
    private Measured probe(JsonNode json, double load) {
        JsonNode probe = json.path("audioProbe");
        if (probe.isMissingNode()) {
            return null;
        }
        ObjectNode alone = JSON.createObjectNode();
        alone.put("windowSeconds", json.path("windowSeconds").asDouble());
        alone.putArray("peers").add(probe);
        return measured(MIXED_AUDIO, 1, alone, Double.NaN, 0, 0, load);
    }

    private Measured measured(Series series, int streams, JsonNode json, double cpuSeconds, long idleRssKb,
                              long rssEndKb, double load) {
        double window = json.path("windowSeconds").asDouble();
        List<String> refused = strings(json.path("refused"));
        List<String> failed = strings(json.path("failed"));
        List<Double> setups = doubles(json.path("setupMs"));
        List<Double> rtts = new ArrayList<>();
        double minFps = Double.MAX_VALUE;
        double framesPerSecond = 0;
        double samples = 0;
        double concealed = 0;
        long glitches = 0;
        List<Double> jitterBuffers = new ArrayList<>();
        int connected = 0;
        for (JsonNode peer : json.path("peers")) {
            connected++;
            if (series.video() && peer.path("fps").asDouble() == 0) {
                long arrived = peer.path("videoFramesArrived").asLong();
                failed.add(peer.path("name").asText() + ": " + Measured.STALLED + " (" + (arrived < 0 ? "no video track"
                        : arrived + " frames before it") + ")");
            } else if (series.video() && peer.path("longestVideoGapMs").asDouble() > STALL_MS) {
                failed.add(String.format(Locale.ROOT, "%s: %s for %.1f s", peer.path("name").asText(), Measured.STALLED,
                        peer.path("longestVideoGapMs").asDouble() / 1000));
            }
            rtts.addAll(doubles(peer.path("rttMs")));
            minFps = Math.min(minFps, peer.path("fps").asDouble());
            framesPerSecond += peer.path("fps").asDouble();
            AudioReception reception = reception(peer.path("reception"));
            if (reception != null) {
                samples += reception.samplesReceived();
                concealed += reception.concealedSamples();
                glitches += (long) reception.concealmentEvents();
                jitterBuffers.add(reception.meanJitterBufferMillis());
            } else if (!series.video()) {
                failed.add(peer.path("name").asText() + ": no jitter-buffer stats");
            }
        }
        int admitted = streams - refused.size();
        if (connected < admitted || connected == 0) {
            minFps = 0;
        }
        double cpuPerStream = connected == 0 ? Double.NaN : 100 * cpuSeconds / window / connected;
        double cpuMsPerFrame = series.video() && framesPerSecond > 0 ? 1000 * cpuSeconds / (framesPerSecond * window)
                : Double.NaN;
        double rssPerStream = connected == 0 ? Double.NaN : (rssEndKb - idleRssKb) / 1024.0 / connected;
        return new Measured(streams, connected, refused, failed, series.video() ? minFps : Double.NaN,
                Measured.percentile(rtts, 50), Measured.percentile(rtts, 90), Measured.percentile(setups, 50),
                json.path("coldSetupMs").isNumber() ? json.path("coldSetupMs").asDouble() : Double.NaN, cpuPerStream,
                cpuMsPerFrame, rssPerStream, idleRssKb / 1024.0, samples > 0 ? 100 * concealed / samples : Double.NaN, glitches,
                Measured.percentile(jitterBuffers, 50),
                json.path("answerVideoCodec").asText(null), load, window, probe(json, load));
    }

    /** A peer's jitter-buffer counters as {@code LoadClient} wrote them, or null if it had none. */
    private static AudioReception reception(JsonNode node) {
        try {
            return node.isObject() ? JSON.treeToValue(node, AudioReception.class) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asDouble()));
        return out;
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e, e);
        }
    }

    static long rssKb(long pid) {
        return status(pid, "VmRSS");
    }

    /** The number of a {@code /proc/<pid>/status} line ({@code VmRSS} in kB, {@code Threads}). */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + field + " of process " + pid + ": " + e, e);
        }
        throw new IllegalStateException("/proc/" + pid + "/status has no " + field + " line");
    }

    static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
