package io.fastrtc.bench.load;

import io.fastrtc.bench.soak.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server or load-generator process of the benchmark. It inherits this JVM's network namespace;
 * its output goes to a log file, each line also to a listener, and the last lines are kept for
 * error messages. {@link #close()} ends it whatever state it is in.
 */
final class Child implements AutoCloseable {

    /** Children still running; killed if the benchmark itself is stopped (Ctrl-C), so none outlives it. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "bench-children-kill"));
    }

    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private Child(String name, List<String> command, Path log, Consumer<String> lines) throws IOException {
        this.name = name;
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        process = builder.start();
        LIVE.add(process);
        Thread pump = new Thread(() -> pump(log, lines), "bench-child-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /** A JVM running {@code main} with this JVM's binary and class path. */
    static Child java(String name, List<String> jvmArgs, Class<?> main, List<String> args, Path log,
                      Consumer<String> lines) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this benchmark"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmArgs);
        command.add(main.getName());
        command.addAll(args);
        return new Child(name, command, log, lines);
    }

    static Child command(String name, List<String> command, Path log, Consumer<String> lines) throws IOException {
        return new Child(name, command, log, lines);
    }

    private void pump(Path log, Consumer<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                synchronized (tail) {
                    tail.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
                    if (tail.size() > 30) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith(BenchServer.READY)) {
                    port.complete(Integer.parseInt(line.substring(BenchServer.READY.length()).trim()));
                }
                lines.accept(line);
            }
        } catch (IOException | RuntimeException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException(name + " exited"));
    }

    /** Waits for the server's ready line; the port it listens on. */
    int awaitPort(Duration timeout) {
        try {
            return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " did not start within " + timeout.toSeconds()
                    + " s; its last output:\n" + tail(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** Asks a server to stop ({@code POST /bench/stop}), then signals, then kills. */
    @Override
    public void close() {
        boolean listening = port.isDone() && !port.isCompletedExceptionally();
        try {
            Processes.stop(process, listening ? URI.create("http://127.0.0.1:" + port.join() + "/bench/stop") : null,
                    Duration.ofSeconds(10));
        } finally {
            LIVE.remove(process);
        }
    }
}
