package io.fastrtc.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server (Debian package {@code redis-server}) run by a test as a child process on a free
 * loopback port, without persistence; stopped and its directory removed on close.
 */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread killer;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.killer = new Thread(process::destroyForcibly, "redis-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts a server and waits until it answers PING; tries another port if one is taken. */
    public static RedisServer start() throws IOException, InterruptedException {
        Path binary = Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(d -> Path.of(d, "redis-server")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "redis-server is not installed: run scripts/setup (Debian package redis-server)"));
        Path dir = Files.createTempDirectory("redis");
        String lastLog = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path log = dir.resolve("redis-" + port + ".log");
            Process process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--daemonize", "no", "--protected-mode", "yes")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (answersPing(port)) {
                    return new RedisServer(process, dir, port);
                }
                Thread.sleep(50);
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            lastLog = Files.readString(log, StandardCharsets.UTF_8);
        }
        throw new IllegalStateException("redis-server did not start; its last log:\n" + lastLog);
    }

    private static boolean answersPing(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The URI a broker connects to. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
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
