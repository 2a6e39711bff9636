package io.fastrtc.redis;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.ui.Slider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the test stream (a video flip with a slider, its value echoed as an output) on a
 * Redis broker. Run as its own JVM by {@link #launch}, so a test can kill it as a crash would.
 */
public final class Instance {

    private Instance() {
    }

    /** The stream every instance of the tests runs. */
    public static Stream stream(RedisBroker broker, int globalLimit) {
        return Stream.builder()
                .video((frame, inputs) -> frame.flipVertical().with(AdditionalOutputs.of(inputs.getDouble(0))))
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .concurrencyLimit(4)
                .globalConcurrencyLimit(globalLimit)
                .broker(broker)
                .build();
    }

    /** args: Redis URI, instance id, ownership TTL in ms, global limit. Prints its port, then runs until stdin closes. */
    public static void main(String[] args) throws IOException {
        RedisBroker broker = RedisBroker.builder(args[0]).instanceId(args[1])
                .ownershipTtl(Duration.ofMillis(Long.parseLong(args[2]))).build();
        StreamServer server = StreamServer.start(stream(broker, Integer.parseInt(args[3])));
        System.out.println("listening " + server.app().port());
        System.out.flush();
        System.in.transferTo(java.io.OutputStream.nullOutputStream()); // the parent went away: stop
        server.close();
        System.exit(0);
    }

    /** A running instance in a child JVM (the same java and classpath as this one, in the same network namespace). */
    public record Child(Process process, int port) {
        public String baseUrl() {
            return "http://127.0.0.1:" + port;
        }
    }

    public static Child launch(String redisUri, String instanceId, Duration ttl, int globalLimit)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", classpath, Instance.class.getName(),
                redisUri, instanceId, Long.toString(ttl.toMillis()), Integer.toString(globalLimit)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        InputStream out = process.getInputStream();
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder line = new StringBuilder();
        while (System.nanoTime() < deadline) {
            int c = out.read();
            if (c < 0) {
                break;
            }
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            seen.append(line).append('\n');
            if (line.toString().startsWith("listening ")) {
                int port = Integer.parseInt(line.substring("listening ".length()).trim());
                drain(out);
                return new Child(process, port);
            }
            line.setLength(0);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the instance did not start; it printed:\n" + seen
                + new String(out.readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Keeps reading the child's output so it never blocks on a full pipe. */
    private static void drain(InputStream out) {
        Thread t = new Thread(() -> {
            try {
                out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the child is gone
            }
        }, "instance-output");
        t.setDaemon(true);
        t.start();
    }
}
