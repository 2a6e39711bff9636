package io.fastrtc.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine, for reports. */
final class Machine {

    private Machine() {
    }

    static String nproc() {
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

    static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").orElse("unknown CPU");
    }

    static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal")
                .map(v -> Math.round(Long.parseLong(v.split("\\s+")[0]) / 1024.0 / 1024.0) + " GB RAM")
                .orElse("unknown RAM");
    }

    static String javaVersion() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")";
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
