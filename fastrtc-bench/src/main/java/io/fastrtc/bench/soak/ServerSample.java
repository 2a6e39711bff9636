package io.fastrtc.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the soak server reports about itself after a cycle.
 *
 * @param rssBytes resident set size ({@code VmRSS} of {@code /proc/self/status})
 * @param mallocInUseBytes glibc heap in use (mallinfo2 uordblks + hblkhd)
 * @param mallocHeldBytes glibc heap taken from the OS (arena + hblkhd)
 * @param threads native threads of the process, JVM and libwebrtc ones included
 * @param connections open connections of the stream ({@code connectionIds().size()})
 * @param sessions peer sessions of the engine not yet closed
 * @param javaHeapUsedBytes Java heap in use, after a full GC
 */
record ServerSample(long rssBytes, long mallocInUseBytes, long mallocHeldBytes, int threads, int connections,
                    int sessions, long javaHeapUsedBytes) {

    static final double MB = 1024.0 * 1024.0;

    static ServerSample take(int connections, int sessions) {
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        Malloc.Usage malloc = Malloc.usage();
        String status;
        try {
            status = Files.readString(Path.of("/proc/self/status"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status; the soak benchmark needs Linux", e);
        }
        return new ServerSample(statusField(status, "VmRSS") * 1024, malloc.inUseBytes(), malloc.heldBytes(),
                (int) statusField(status, "Threads"), connections, sessions, heapUsed);
    }

    /** The number of a {@code Name:   123 kB} line. */
    private static long statusField(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("/proc/self/status has no " + name + " line");
    }

    double rssMb() {
        return rssBytes / MB;
    }

    double inUseMb() {
        return mallocInUseBytes / MB;
    }

    double heldMb() {
        return mallocHeldBytes / MB;
    }
}
