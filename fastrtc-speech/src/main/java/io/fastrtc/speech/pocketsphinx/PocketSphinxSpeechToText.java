package io.fastrtc.speech.pocketsphinx;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.internal.Checks;
import io.fastrtc.speech.SpeechToText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Offline speech-to-text with CMU pocketsphinx, run as a subprocess:
 * {@code pocketsphinx_continuous -infile audio.wav} with its default US-English model.
 * Install it with the Debian packages {@code pocketsphinx} and {@code pocketsphinx-en-us}
 * ({@code scripts/setup} does).
 *
 * <p>Accuracy is that of a 2015 small-vocabulary-friendly recogniser: clear, synthetic speech
 * (FreeTTS) comes back word for word; casual speech through a laptop microphone much less so. Each
 * call starts a process that loads the model, about a second. Calls may run concurrently.
 */
public final class PocketSphinxSpeechToText implements SpeechToText {

    /** The rate pocketsphinx's default model expects. */
    public static final int SAMPLE_RATE = 16000;
    static final String PACKAGES = "pocketsphinx pocketsphinx-en-us";

    private final String command;
    private final Duration timeout;

    /** Runs {@code pocketsphinx_continuous} from the {@code PATH}, allowing 60 s per call. */
    public PocketSphinxSpeechToText() {
        this("pocketsphinx_continuous", Duration.ofSeconds(60));
    }

    /** Runs {@code command} (a path or a name on the {@code PATH}), allowing {@code timeout} per call. */
    public PocketSphinxSpeechToText(String command, Duration timeout) {
        this.command = Objects.requireNonNull(command, "command");
        this.timeout = Checks.positive("timeout", timeout, Duration.ofSeconds(60));
    }

    @Override
    public String transcribe(AudioFrame audio) {
        if (audio.isEmpty()) {
            return "";
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fastrtc-stt");
            Path wav = dir.resolve("audio.wav");
            Wav.write(audio.toMono().resample(SAMPLE_RATE), wav);
            return run(wav, dir.resolve("text.txt"), dir.resolve("log.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException("pocketsphinx: could not use a temporary directory for the audio", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private String run(Path wav, Path text, Path log) throws IOException {
        // Files rather than pipes: the log is long, and the timeout must hold however it ends.
        ProcessBuilder pb = new ProcessBuilder(command, "-infile", wav.toString())
                .redirectOutput(text.toFile())
                .redirectError(log.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("pocketsphinx is not installed (cannot run \"" + command
                    + "\"): install the Debian packages " + PACKAGES + " (apt-get install " + PACKAGES
                    + ", or scripts/setup)", e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("pocketsphinx took longer than " + timeout);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pocketsphinx was running", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("pocketsphinx failed (exit code " + process.exitValue() + "): "
                    + lastLines(log) + " -- is its model installed? (Debian packages " + PACKAGES + ")");
        }
        // One line per utterance it found.
        StringJoiner words = new StringJoiner(" ");
        for (String line : Files.readAllLines(text, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                words.add(line.strip());
            }
        }
        return words.toString();
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a stray temporary file is harmless
        }
    }
}
