package io.fastrtc.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine, for reports, and the check that a benchmark runs in the test namespace. */
public final class Machine {

    private Machine() {
    }

    public static String nproc() {
        try {
            Process p = new ProcessBuilder("nproc").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : String.valueOf(Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            return String.valueOf(Runtime.getRuntime().availableProcessors());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.valueOf(Runtime.getRuntime().availableProcessors());
        }
    }

    public static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").orElse("unknown CPU");
    }

    public static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal")
                .map(v -> Math.round(Long.parseLong(v.split("\\s+")[0]) / 1024.0 / 1024.0) + " GB RAM")
                .orElse("unknown RAM");
    }

    public static String javaVersion() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
    }

    /** The 1-, 5- and 15-minute load averages, as {@code /proc/loadavg} gives them. */
    public static String loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average, NaN if unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(loadAverages().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * WebRTC needs a non-loopback interface, and benchmark traffic must stay in the private namespace
     * that {@code scripts/netns/bin/java} enters; refuses to run anywhere else.
     *
     * @param script the script that starts the benchmark, for the message
     */
    public static void requireNamespace(String script) throws IOException {
        String name = System.getenv().getOrDefault("FASTRTC_NETNS", "fastrtc-test");
        Path namespace = Path.of("/run/netns", name);
        if (!Files.exists(namespace) || !Files.isSameFile(Path.of("/proc/self/ns/net"), namespace)) {
            throw new IllegalStateException("not running inside the network namespace '" + name + "'; start the"
                    + " benchmark with " + script + " (or through scripts/netns/bin/java)");
        }
    }

    private static java.util.Optional<String> procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return java.util.Optional.of(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return java.util.Optional.empty();
    }
}
