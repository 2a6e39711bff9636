package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.testing.Speech;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The voice bench's script, made at start by espeak-ng and sox and cached as WAV files (48 kHz mono,
 * trimmed to the sound): a question, an interrupting phrase, sentences with a pause in the middle,
 * and short sounds a listener makes while an agent talks (noise bursts, clicks, backchannels).
 */
record VoiceAudio(AudioFrame question, AudioFrame interrupter, List<Paused> paused, List<Noise> noises) {

    /** A sentence cut in two by a pause of {@link #PAUSE_MS}: what the user says before and after it. */
    record Paused(String text, AudioFrame before, AudioFrame after) {
    }

    /** A short sound; {@code backchannel} if it is a word ("mm-hm"), else a noise (cough, click). */
    record Noise(String name, AudioFrame audio, boolean backchannel) {
    }

    /** The mid-sentence pause: longer than both streaming silences measured (250 and 400 ms). */
    static final int PAUSE_MS = 600;

    private static final String[][] PAUSED = {
        {"I would like to book a table for", "four people tonight"},
        {"Can you tell me the way to", "the nearest train station"},
        {"My phone number is five five five", "one two three four"},
    };

    /** espeak-ng backchannels and the speaking rate (words per minute) that gives them a typical 300-600 ms. */
    private static final String[][] BACKCHANNELS = {
        {"mm-hm", "mm hm", "220"},
        {"uh-huh", "uh huh", "150"},
        {"yeah", "yeah", "120"},
        {"okay", "okay", "175"},
    };

    /** sox effects after {@code synth}: a cough is a band-limited noise burst with a fast attack and a decay. */
    private static final String[][] NOISES = {
        {"cough (200 ms noise burst)", "0.2", "pinknoise", "sinc", "300-3000", "fade", "l", "0.01", "0.2", "0.15"},
        {"cough (350 ms noise burst)", "0.35", "brownnoise", "sinc", "200-2500", "fade", "l", "0.02", "0.35", "0.3"},
        {"click (5 ms)", "0.005", "square", "2000"},
        {"two clicks (5 ms, 120 ms apart)", "0.005", "square", "1500", "pad", "0", "0.115", "repeat", "1"},
    };

    static VoiceAudio load(Path cache) throws IOException, InterruptedException {
        Files.createDirectories(cache);
        AudioFrame question = speech(cache, "question", "What is the weather like today in the city?", 175);
        AudioFrame interrupter = speech(cache, "interrupter", "Hold on a second please.", 175);
        List<Paused> paused = new ArrayList<>();
        for (int i = 0; i < PAUSED.length; i++) {
            paused.add(new Paused(PAUSED[i][0] + " ... " + PAUSED[i][1], speech(cache, "paused-" + i + "a", PAUSED[i][0], 175),
                    speech(cache, "paused-" + i + "b", PAUSED[i][1], 175)));
        }
        List<Noise> noises = new ArrayList<>(); // a word, a noise, a word...: a short run still has both
        for (int i = 0; i < Math.max(BACKCHANNELS.length, NOISES.length); i++) {
            if (i < BACKCHANNELS.length) {
                String[] b = BACKCHANNELS[i];
                noises.add(new Noise("\"" + b[0] + "\"", speech(cache, "backchannel-" + b[0], b[1], Integer.parseInt(b[2])),
                        true));
            }
            if (i < NOISES.length) {
                noises.add(new Noise(NOISES[i][0], noise(cache, "noise-" + i, NOISES[i]), false));
            }
        }
        return new VoiceAudio(question, interrupter, paused, noises);
    }

    private static AudioFrame speech(Path cache, String name, String text, int wordsPerMinute)
            throws IOException, InterruptedException {
        Path file = cache.resolve(name + ".wav");
        if (!Files.exists(file)) {
            Path raw = cache.resolve(name + ".raw.wav");
            run("espeak-ng", "-s", String.valueOf(wordsPerMinute), "-w", raw.toString(), text);
            AudioFrame said = Wav.read(raw);
            int[] span = Speech.activeSpan(said);
            Wav.write(said.slice(span[0], span[1]).resample(48000), file);
            Files.delete(raw);
        }
        return Wav.read(file);
    }

    /** A sox {@code synth} sound at -3 dBFS peak (a cough close to the microphone is loud). */
    private static AudioFrame noise(Path cache, String name, String[] spec) throws IOException, InterruptedException {
        Path file = cache.resolve(name + ".wav");
        if (!Files.exists(file)) {
            List<String> cmd = new ArrayList<>(List.of("sox", "-n", "-r", "48000", "-c", "1", "-b", "16", file.toString(),
                    "synth"));
            cmd.addAll(List.of(spec).subList(1, spec.length));
            cmd.addAll(List.of("gain", "-n", "-3"));
            run(cmd.toArray(String[]::new));
        }
        return Wav.read(file);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("failed (is it installed?): " + String.join(" ", command));
        }
    }
}
