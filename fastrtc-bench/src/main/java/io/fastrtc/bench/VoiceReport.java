package io.fastrtc.bench;

import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report of {@link VoiceModes}: one table side by side, the targets, the script and how it is measured. */
final class VoiceReport {

    private final String command;
    private final int cycles;
    private final VoiceAudio audio;
    private final String started = ZonedDateTime.now().withNano(0).toString();
    private final String loadAtStart = load();
    private final Map<VoiceModes.Mode, VoiceModes.Result> results = new LinkedHashMap<>();

    VoiceReport(String command, int cycles, VoiceAudio audio) {
        this.command = command;
        this.cycles = cycles;
        this.audio = audio;
    }

    void add(VoiceModes.Mode mode, VoiceModes.Result result) {
        results.put(mode, result);
    }

    /** The mode's row of the main table. */
    String row(VoiceModes.Mode m, VoiceModes.Result r) {
        int sounds = r.noises + r.backchannels;
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d of %d | %d of %d | %s | %s |",
                m.name(), m.silenceMillis() < 0 ? "0.6 s chunks"
                        : m.silenceMillis() + " ms" + (m.name().contains("turn model") ? " (3 s if unfinished)" : ""),
                ms(VoiceBench.percentile(r.turn, 50)), ms(VoiceBench.percentile(r.turn, 90)),
                ms(VoiceBench.percentile(r.interrupt, 50)), ms(VoiceBench.percentile(r.interrupt, 90)),
                r.falseInterruptions.size(), sounds, r.premature, r.sentences,
                r.paused == 0 ? "–" : r.paused + " (" + ms(median(r.pauses)) + ")", ms(r.jitterBufferMillis));
    }

    /** The mode's row of the breakdown: the median of each leg of the question's turn. */
    String legs(VoiceModes.Mode m, VoiceModes.Result r) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |", m.name(),
                ms(VoiceBench.percentile(r.uplink, 50)), ms(r.serverJitterBufferMillis),
                ms(VoiceBench.percentile(r.server, 50)),
                m.name().contains("preemptive") ? "– (called at the stop of speech)"
                        : ms(VoiceBench.percentile(r.untilCalled, 50)),
                ms(VoiceBench.percentile(r.downlink, 50)), ms(VoiceBench.percentile(r.turn, 50)));
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Voice turn-taking: FastRTC's mode, streaming end of turn, turn model%n%n"
                + "Measured %s on %d cores (load average %s at the start, %s at the end), Java %s, with `%s` (%d cycles"
                + " per mode). One WebRTC client peer per mode, in the same JVM as the server, speaks the script below"
                + " and times what it hears.%n%n", started, Runtime.getRuntime().availableProcessors(), loadAtStart,
                load(), System.getProperty("java.version"), command, cycles));
        md.append("| mode | silence | turn p50 | turn p90 | interruption p50 | interruption p90 | false interruptions"
                + " | premature turns | reply paused and resumed (median) | client jitter buffer |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach((m, r) -> md.append(row(m, r)).append('\n'));
        results.forEach((m, r) -> {
            if (r.missed + r.skipped > 0) {
                md.append(String.format(Locale.ROOT, "%n%s: %d answer(s) or interruption(s) not heard in time, %d"
                        + " trial(s) skipped (no reply playing when they were due).%n", m.name(), r.missed, r.skipped));
            }
        });
        md.append(String.format(Locale.ROOT, "%n## Where a turn's time goes (medians of the questions' turns)%n%n"
                + "| mode | uplink | server's jitter buffer | server: pause → reply's first audio out | of which: →"
                + " reply function called | downlink | turn p50 |%n|---|---|---|---|---|---|---|%n"));
        results.forEach((m, r) -> md.append(legs(m, r)).append('\n'));
        md.append(String.format(Locale.ROOT, "%nUplink: the question's last 10 ms at -45 dBFS or louder sent by the"
                + " client → where the server's input went quiet (the server's turn telemetry: when its first audio"
                + " went out, less the latency it reports from the end of speech); it holds the client's Opus"
                + " packet, the server's jitter buffer (its mean over the run, from libwebrtc's stats, in the next"
                + " column) and its audio module's pull. Server: → the reply's first"
                + " audio handed to the connection's output (the configured silence, where the turn ends, the"
                + " reply function, the pump), which plays it within the tick it wakes. Downlink: → the first loud"
                + " frame out of the client's jitter buffer (Opus, the silence already sent ahead of it, the"
                + " client's jitter buffer and pull). The question's last %.0f ms are quieter than that, so the"
                + " legs add up to the turn latency plus those.%n", VoiceTaps.quietTailMillis(audio.question())));
        md.append("\n## Targets (issue 18)\n\n| mode | turn p50 ≤ silence + 100 ms | interruption p50 ≤ minimum speech"
                + " + 100 ms | no false interruption | no premature turn |\n|---|---|---|---|---|\n");
        results.forEach((m, r) -> md.append(targets(m, r)).append('\n'));
        md.append("\nThe turn-model target applies to the last mode only (the others have no model to say \"not"
                + " finished\"); the premature turns of the others show what a 600 ms pause does without one.\n");
        md.append("\n## Modes\n\n| mode | `ReplyOnPause` | interruption |\n|---|---|---|\n");
        results.forEach((m, r) -> md.append("| ").append(m.name()).append(" | `").append(m.code()).append("` | ")
                .append(m.interruption() == null ? "when the interrupting utterance ends (FastRTC's)"
                        : String.format(Locale.ROOT, "%d ms of speech%s", m.interruption().minSpeech().toMillis(),
                        m.interruption().pauseOnSound() ? ", reply paused at the first sound and resumed if shorter"
                                : ""))
                .append(" |\n"));
        md.append(String.format(Locale.ROOT, "%n**The turn model is a stand-in, for timing only.** Smart Turn v3's"
                + " weights cannot be downloaded here, so the last mode's `TurnCompletionModel` sleeps %d ms (the real"
                + " model's inference time on a CPU) and answers from the script: 0.05 (\"not finished\") for a turn"
                + " that ends at or before the pause of the sentence being said (told by the turn's length), 0.95"
                + " otherwise. It measures what the hook, the %s and the"
                + " preemptive reply cost and save, not how well Smart Turn v3 hears unfinished sentences.%n",
                VoiceModes.MODEL_MILLIS, "`EndOfTurnDelay`"));
        script(md);
        notes(md);
        return md.toString();
    }

    private String targets(VoiceModes.Mode m, VoiceModes.Result r) {
        double turn = VoiceBench.percentile(r.turn, 50);
        double interrupt = VoiceBench.percentile(r.interrupt, 50);
        String turnTarget = m.silenceMillis() < 0 ? "– (no silence setting)"
                : verdict(turn <= m.silenceMillis() + 100) + " (" + ms(turn) + " ≤ " + (m.silenceMillis() + 100) + " ms)";
        String interruptTarget = m.interruption() == null ? "– (FastRTC's interruption)"
                : verdict(interrupt <= m.interruption().minSpeech().toMillis() + 100) + " (" + ms(interrupt) + " ≤ "
                + (m.interruption().minSpeech().toMillis() + 100) + " ms)";
        String falseTarget = verdict(r.falseInterruptions.isEmpty())
                + (r.falseInterruptions.isEmpty() ? "" : " (" + String.join(", ", r.falseInterruptions) + ")");
        boolean model = m.name().contains("turn model");
        String premature = model ? verdict(r.premature == 0) + " (" + r.premature + ")" : "– (" + r.premature + ")";
        return "| " + m.name() + " | " + turnTarget + " | " + interruptTarget + " | " + falseTarget + " | " + premature + " |";
    }

    private void script(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "%n## Script (espeak-ng and sox, made at the start, cached in"
                + " `fastrtc-bench/target/voice-audio/`)%n%n"
                + "Each cycle, per mode: the question (%.1f s) → turn latency; two short sounds over its reply, 0.5 s into"
                + " it → false interruptions; the interrupting phrase (%.1f s) → interruption latency; a sentence with a"
                + " %d ms pause after its first part → premature turn. The short sounds (cycled through, each played"
                + " once per mode in a run of %d cycles):%n%n| sound | kind | length |%n|---|---|---|%n",
                audio.question().durationMillis() / 1000, audio.interrupter().durationMillis() / 1000,
                VoiceAudio.PAUSE_MS, (audio.noises().size() + 1) / 2));
        for (VoiceAudio.Noise n : audio.noises()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", n.name(),
                    n.backchannel() ? "backchannel (espeak-ng)" : "noise (sox)", ms(n.audio().durationMillis())));
        }
        List<String> sentences = new ArrayList<>();
        for (VoiceAudio.Paused p : audio.paused()) {
            sentences.add("\"" + p.text() + "\" (" + ms(p.before().durationMillis()) + " + " + VoiceAudio.PAUSE_MS
                    + " ms + " + ms(p.after().durationMillis()) + ")");
        }
        md.append("\nSentences with a pause: ").append(String.join("; ", sentences)).append(".\n");
    }

    private static void notes(StringBuilder md) {
        md.append("""

                ## How it is measured

                Times are taken at the client (`System.nanoTime()`): when its microphone track sent the first or last \
                10 ms of an utterance, and when a 10 ms frame of reply audio came out of its jitter buffer. Every reply \
                is a tone (300, 600, 900 or 1200 Hz, the next reply another one; 8 s after the question, 0.3 s \
                otherwise) and the client measures each tone's amplitude in every frame it hears, so it knows which \
                reply it hears even when one follows another at once. The reply function answers at once: the \
                figures are the turn-taking's and the transport's, with no model or speech synthesis time (which a \
                preemptive reply would hide in the silence).

                - **Turn latency**: the question's last audio sent → the first loud frame (RMS above 1500) heard.
                - **Interruption latency**: the interrupting phrase's first audio sent → the first of 100 ms without \
                the interrupted reply's tone. With `pauseOnSound` this is when the reply was paused; it is cut once the \
                speech reaches the minimum.
                - **False interruption**: after a short sound, the reply's tone is not heard in the last 200 ms of \
                the 1.6 s after the sound (the reply was cut), or another reply was heard (the sound was taken as a \
                turn). A reply that went quiet for 100 ms or more and came back is counted as *paused and resumed*, \
                with the median length of the gap (the sound plus the detector's release and the 150 ms gap).
                - **Premature turn**: any reply audio heard from the start of the sentence to 150 ms after its end (a \
                reply to the whole sentence cannot come back sooner), or more than one reply to the sentence.

                Why 500 ms with `pauseOnSound` (`Interruption.DEFAULTS`, and the 250 ms modes' explicit \
                interruption): espeak-ng backchannels of 400-550 ms hold 260-340 ms of speech for libwebrtc's \
                detector, so a 250 ms minimum (the default before) cuts the reply on most of them; the sox coughs \
                and clicks hold none. 500 ms of speech (LiveKit's `min_interruption_duration`) is above every \
                backchannel, and `pauseOnSound` holds the reply from the first voiced frame and resumes it where it \
                stopped when the sound ends short of that (LiveKit's false-interruption resume), so the caller still \
                hears the agent yield at once: the interruption latency above is the pause's. FastRTC's mode \
                (`algoOptions`) keeps FastRTC's interruption: the reply is cut when the interrupting utterance ends.

                Client and server share the machine's cores (and run in one JVM), so on a loaded machine the \
                latencies grow by the jitter buffers; the load averages above say how busy it was, and the last \
                column is the client's own mean jitter-buffer delay over the mode's run (libwebrtc's `inbound-rtp` \
                stats), part of every latency in its row.
                """);
    }

    private static String verdict(boolean met) {
        return met ? "**met**" : "**not met**";
    }

    static String ms(double millis) {
        return Double.isNaN(millis) ? "–" : String.format(Locale.ROOT, "%.0f ms", millis);
    }

    private static double median(List<Integer> values) {
        List<Double> d = new ArrayList<>();
        values.forEach(v -> d.add(v.doubleValue()));
        return VoiceBench.percentile(d, 50);
    }

    private static String load() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "%.2f", l);
    }
}
