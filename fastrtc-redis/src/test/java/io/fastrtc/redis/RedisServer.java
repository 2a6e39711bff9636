package io.fastrtc.redis;

import io.fastrtc.testing.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server (Debian package {@code redis-server}) run by a test as a child process on a free
 * loopback port, without persistence; stopped and its directory removed on close.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private ChildProcess child;

    private RedisServer(Process process, Path dir, int port) {
        this.dir = dir;
        this.child = new ChildProcess(process, dir);
        this.port = port;
    }

    /** Starts a server and waits until it answers PING; tries another port if one is taken. */
    public static RedisServer start() throws IOException, InterruptedException {
        Path binary = ChildProcess.executable("redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server is not installed: run scripts/setup (Debian package redis-server)"));
        Path dir = Files.createTempDirectory("redis");
        String lastLog = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path log = dir.resolve("redis-" + port + ".log");
            Process process = launch(binary, dir, port, log);
            if (process != null) {
                return new RedisServer(process, dir, port);
            }
            lastLog = Files.readString(log, StandardCharsets.UTF_8);
        }
        throw new IllegalStateException("redis-server did not start; its last log:\n" + lastLog);
    }

    /** Starts redis-server on {@code port} and waits until it answers PING; null if it did not. */
    private static Process launch(Path binary, Path dir, int port, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--protected-mode", "yes")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (answersPing(port)) {
                return process;
            }
            Thread.sleep(50);
        }
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return null;
    }

    /** Kills the server (an outage: it loses everything, as a restart without persistence does). */
    public void kill() throws InterruptedException {
        child.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Starts a fresh, empty server on the same port after {@link #kill()}. */
    public void restart() throws IOException, InterruptedException {
        Path binary = ChildProcess.executable("redis-server").orElseThrow();
        Path log = dir.resolve("redis-" + port + ".log");
        Process process = launch(binary, dir, port, log);
        if (process == null) {
            throw new IllegalStateException("redis-server did not restart on port " + port + "; its log:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        child = new ChildProcess(process, dir); // the old one's process is dead; this one removes the directory

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
        child.close();
    }
}
