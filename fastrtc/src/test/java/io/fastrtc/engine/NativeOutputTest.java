package io.fastrtc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM that echoed H264 video and exited prints none of webrtc-java 0.14.0's harmless native lines
 * that users read as faults, when run as the demos run it (through {@code scripts/quiet-native});
 * its own output on both streams still comes through.
 */
class NativeOutputTest {

    private static final String EXIT_LINE = "VM attach current thread failed";
    private static final String EXIT_THREAD = "Failed to attach thread";
    private static final String H264_LINE = "Actual input framerate 0.000000";

    @Test
    void noNativeNoiseAtExitOrFromTheH264Encoder() throws Exception {
        Run quiet = run(true);
        assertThat(quiet.out()).contains("echoed ", "H264 true").doesNotContain(EXIT_LINE, EXIT_THREAD);
        assertThat(quiet.err()).contains("stderr still reaches the caller").doesNotContain(H264_LINE);

        // The same JVM run bare still prints them: the lines come from the native code, so the
        // filter is what keeps them out (and this fails once a webrtc-java upgrade drops them).
        Run bare = run(false);
        assertThat(bare.out()).contains(EXIT_LINE, EXIT_THREAD);
        assertThat(bare.err()).contains(H264_LINE);
    }

    private record Run(String out, String err) {
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** QuietPeerPair with 90 frames echoed: past the 61st frame, where OpenH264 measures the rate. */
    private Run run(boolean quiet) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("scripts/demo"))) {
            root = root.getParent();
        }
        assertThat(root).as("the repository").isNotNull();
        assertThat(root.resolve("scripts/quiet-native")).isExecutable();
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        if (quiet) {
            command.add(root.resolve("scripts/quiet-native").toString());
        }
        command.addAll(List.of(java, "-Xmx128m", "-cp", classpath, QuietPeerPair.class.getName(), "90"));
        Process process = new ProcessBuilder(command).start();
        // Read to the end of both pipes: that is also when the filters have written their last line.
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the child exited").isTrue();
        assertThat(process.exitValue()).as(err.get(10, TimeUnit.SECONDS)).isZero();
        return new Run(out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }
}
