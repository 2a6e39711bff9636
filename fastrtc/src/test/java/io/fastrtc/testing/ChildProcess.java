package io.fastrtc.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server a test runs as a child process (coturn, redis-server), with its temporary directory:
 * killed if the test JVM exits first; stopped and the directory removed on close.
 */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final Thread killer;

    public ChildProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        this.killer = new Thread(process::destroyForcibly, "child-process-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** An executable on the PATH. */
    public static Optional<Path> executable(String name) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    public Process process() {
        return process;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Runtime.getRuntime().removeShutdownHook(killer);
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
