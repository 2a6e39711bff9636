package io.fastrtc.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A coturn TURN server (Debian package {@code coturn}) run by a test as a child process. It listens
 * on the test network namespace's address 10.77.0.1 (the test JVM runs inside that namespace, so its
 * children do too), accepts only time-limited credentials derived from {@code secret}, and keeps its
 * database, pid file and log in a temporary directory.
 */
public final class Coturn implements AutoCloseable {

    public static final String HOST = "10.77.0.1";
    public static final String REALM = "fastrtc.test";
    /** Ports above Linux's ephemeral range (which ends at 60999), so no peer connection holds them. */
    private static final int FIRST_PORT = 61000;
    private static final int RELAY_PORTS = 40;

    private final ChildProcess child;
    private final Path dir;
    private final int port;

    private Coturn(Process process, Path dir, int port) {
        this.child = new ChildProcess(process, dir);
        this.dir = dir;
        this.port = port;
    }

    /** The {@code turnserver} binary on the PATH, if coturn is installed. */
    public static Optional<Path> binary() {
        return ChildProcess.executable("turnserver");
    }

    /** Starts a server and waits until it answers STUN; tries other ports if one is taken. */
    public static Coturn start(String secret) throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(
                "turnserver is not installed: run scripts/setup (Debian package coturn)"));
        Path dir = Files.createTempDirectory("coturn");
        String lastLog = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(60) * (RELAY_PORTS + 1);
            if (!free(port)) {
                continue;
            }
            Path log = dir.resolve("turnserver-" + port + ".log");
            Process process = new ProcessBuilder(binary.toString(), "-n",
                    "--listening-ip=" + HOST, "--relay-ip=" + HOST, "--listening-port=" + port,
                    "--min-port=" + (port + 1), "--max-port=" + (port + RELAY_PORTS),
                    "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=" + REALM,
                    "--no-tls", "--no-dtls", "--no-cli",
                    "--userdb=" + dir.resolve("turndb-" + port), "--pidfile=" + dir.resolve("turnserver-" + port + ".pid"),
                    "--log-file=stdout", "--simple-log")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (answersStun(port)) {
                    return new Coturn(process, dir, port);
                }
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            lastLog = Files.readString(log, StandardCharsets.UTF_8);
        }
        throw new IllegalStateException("turnserver did not start; its last log:\n" + lastLog);
    }

    private static boolean free(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(HOST, port));
             ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a STUN Binding request (RFC 5389) and waits briefly for a success response. */
    private static boolean answersStun(int port) throws IOException {
        byte[] transaction = new byte[12];
        ThreadLocalRandom.current().nextBytes(transaction);
        ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
                .putInt(0x2112A442).put(transaction);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            socket.setSoTimeout(200);
            socket.send(new DatagramPacket(request.array(), 20, new InetSocketAddress(HOST, port)));
            byte[] buffer = new byte[512];
            DatagramPacket response = new DatagramPacket(buffer, buffer.length);
            socket.receive(response);
            return response.getLength() >= 20 && buffer[0] == 0x01 && buffer[1] == 0x01
                    && Arrays.equals(buffer, 8, 20, transaction, 0, 12);
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** The server's UDP TURN URL. */
    public String url() {
        return "turn:" + HOST + ":" + port + "?transport=udp";
    }

    /**
     * Asks coturn itself whether these long-term credentials work: coturn's own test client
     * ({@code turnutils_uclient}) allocates two relays with them and sends packets between them.
     */
    public boolean relaysWith(String username, String credential) throws IOException, InterruptedException {
        Path client = ChildProcess.executable("turnutils_uclient").orElseThrow(() -> new IllegalStateException(
                "turnutils_uclient is missing; it comes with the coturn package"));
        Path out = Files.createTempFile(dir, "uclient", ".log");
        Process p = new ProcessBuilder(client.toString(), "-y", "-n", "1", "-m", "1",
                "-u", username, "-w", credential, "-p", String.valueOf(port), HOST)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("turnutils_uclient did not finish in 30 s:\n" + Files.readString(out));
        }
        String output = Files.readString(out);
        return p.exitValue() == 0 && output.contains("Total lost packets 0 ");
    }

    /** What the server logged so far (for assertion messages). */
    public String log() throws IOException {
        Path log = dir.resolve("turnserver-" + port + ".log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        child.close();
    }
}
