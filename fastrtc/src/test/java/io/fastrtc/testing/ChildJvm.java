package io.fastrtc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class of the tests run as its own JVM (the same java and classpath as this one, so in
 * the same network namespace), for what a test must be able to kill as a crash would.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** A started child: its process and the line that said it was ready. */
    public record Started(Process process, String readyLine) {
    }

    /**
     * Starts {@code main} with {@code args} and waits until it prints a line starting with
     * {@code ready}; its later output is read and dropped, so it never blocks on a full pipe.
     */
    public static Started start(Class<?> main, String heap, String ready, Duration timeout, String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-cp", classpath, main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        InputStream out = process.getInputStream();
        StringBuilder seen = new StringBuilder();
        StringBuilder line = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
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
            if (line.toString().startsWith(ready)) {
                drain(out, main.getSimpleName());
                return new Started(process, line.toString());
            }
            line.setLength(0);
        }
        process.destroyForcibly();
        throw new IllegalStateException(main.getSimpleName() + " did not start; it printed:\n" + seen
                + new String(out.readNBytes(20_000), StandardCharsets.UTF_8));
    }

    private static void drain(InputStream out, String name) {
        Thread t = new Thread(() -> {
            try {
                out.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-output-" + name);
        t.setDaemon(true);
        t.start();
    }
}
