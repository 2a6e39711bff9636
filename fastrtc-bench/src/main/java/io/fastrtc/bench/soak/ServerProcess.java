package io.fastrtc.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SoakServer} in a child JVM with this JVM's binary and class path. The child inherits
 * this process's network namespace, so both sides run where WebRTC works. Its output goes to a
 * log file; the last lines are kept for error messages.
 */
final class ServerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> command;
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private ServerProcess(List<String> command, Path log) throws IOException {
        this.command = command;
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Through the environment rather than -cp: keeps the command line short for profilers.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        process = builder.start();
        Thread pump = new Thread(() -> pump(log), "soak-server-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts a server JVM with {@code jvmArgs}, run through {@code wrapper} (e.g. a profiler; may be
     * empty), and waits until it listens.
     */
    static ServerProcess start(List<String> wrapper, List<String> jvmArgs, Path log) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this benchmark"));
        List<String> command = new ArrayList<>(wrapper);
        command.add(java);
        command.addAll(jvmArgs);
        command.add(SoakServer.class.getName());
        ServerProcess server = new ServerProcess(command, log);
        try {
            server.port.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("the soak server did not start within " + STARTUP.toSeconds()
                    + " s; its last output:\n" + server.tail(), e);
        }
        return server;
    }

    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith(SoakServer.READY)) {
                    port.complete(Integer.parseInt(line.substring(SoakServer.READY.length()).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("the soak server exited"));
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    String offerUrl() {
        return "http://127.0.0.1:" + port.join() + SoakServer.OFFER_PATH;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Exit status, or -1 while running. */
    int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    ServerSample sample() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(SoakServer.STATS_PATH))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("stats request answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readValue(response.body(), ServerSample.class);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port.join() + path);
    }

    /** Asks the server to exit (a wrapper such as a profiler may not pass signals on), then insists. */
    @Override
    public void close() {
        boolean listening = port.isDone() && !port.isCompletedExceptionally();
        Processes.stop(process, listening ? uri(SoakServer.STOP_PATH) : null, Duration.ofSeconds(30));
    }
}
