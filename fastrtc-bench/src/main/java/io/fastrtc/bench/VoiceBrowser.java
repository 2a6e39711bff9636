package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.Browser;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turn latency heard in headless Chromium, the client the target means: a browser plays to an audio
 * clock, where the Java client peer's headless audio module pulls 0.35 % slowly, which keeps its own
 * jitter buffer high. Chromium's fake microphone plays a file of questions once from the start of
 * capture, so the page knows when each question ended in the browser's wall clock; the reply's first
 * audio out of the browser's jitter buffer is told by its receiver's synchronization source ({@code
 * voice-turn.html}). The server's legs are its own {@link VoiceTaps} telemetry, on the same machine's
 * wall clock. (A page that says the question through WebAudio was tried: Chromium's WebAudio →
 * microphone track path added about 300 ms of its own.)
 *
 * <pre>
 *   VoiceBrowser [questions] [report.md]     (VOICE_MODES as {@link VoiceModes}; the modes' questions only)
 * </pre>
 */
public final class VoiceBrowser {

    private static final double LOUD = VoiceEar.LOUD / 32768;
    /** Silence before the first question, and after each (the reply, then silence, as in a conversation). */
    private static final int LEAD_MS = 3000;
    private static final int GAP_MS = 3500;

    private VoiceBrowser() {
    }

    public static void main(String[] args) throws Exception {
        int questions = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path report = Path.of(args.length > 1 ? args[1] : "fastrtc-bench/reports/voice-browser.md");
        VoiceAudio audio = VoiceAudio.load(Path.of("fastrtc-bench/target/voice-audio"));
        AudioFrame question = audio.question().resample(48000);
        AudioFrame said = AudioFrame.silence(48000, 1, LEAD_MS);
        for (int i = 0; i < questions; i++) {
            said = said.concat(question).concat(AudioFrame.silence(48000, 1, GAP_MS));
        }
        Path wav = Files.createTempFile("fastrtc-questions", ".wav");
        Wav.write(said, wav);
        String only = System.getenv("VOICE_MODES");
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "# Turn latency heard in headless Chromium%n%n"
                + "Measured %s on %d cores (load average %s at the start, {end} at the end) with `scripts/bench-voice"
                + " --browser %d`: %d questions per mode, each answered by a 0.3 s tone.%n%n| mode | silence | turn p50"
                + " | turn p90 | uplink | server: pause → first audio out | downlink | server's jitter buffer"
                + " | browser's jitter buffer |%n|---|---|---|---|---|---|---|---|---|%n", ZonedDateTime.now().withNano(0),
                Runtime.getRuntime().availableProcessors(), load(), questions, questions));
        VoiceTaps taps = new VoiceTaps();
        List<VoiceModes.Mode> modes = VoiceModes.modes();
        try (FastRtc runtime = FastRtc.builder().telemetry(taps).build()) {
            for (int m = 1; m < modes.size(); m++) { // FastRTC's chunked mode has no silence to compare with
                if (only != null && !List.of(only.split(",")).contains(String.valueOf(m + 1))) {
                    continue;
                }
                VoiceModes.Mode mode = modes.get(m);
                System.out.println(mode.name() + ":");
                md.append(run(mode, runtime, taps, wav, questions, question)).append('\n');
            }
        } finally {
            Files.deleteIfExists(wav);
        }
        md.append(String.format(Locale.ROOT, "%nChromium's fake microphone plays a file once from the start of"
                + " capture: %d ms of silence, then the question (%.0f ms) and %d ms of silence, over and over."
                + " Turn latency: the question's end in that file (capture start + its offset) → the reply's"
                + " first audio (a level above %.3f) out of the browser's jitter buffer: its receiver's"
                + " synchronization source, polled, says when each frame went to the track and the level the"
                + " server's packet carried (RFC 6464), both on the browser's wall clock. Capture may start a few ms"
                + " before the page is told, which would make every figure that much too short: the uplink, as long"
                + " as the Java client's, says it is not much. Medians of each leg, the legs from the server's turn"
                + " telemetry as in `voice-latency.md` (uplink from the question's last"
                + " 10 ms at -45 dBFS or louder, %.0f ms before its end). Jitter buffers: the mean delay of the"
                + " server's (its inbound audio) and the browser's (the reply track), from libwebrtc's stats.%n",
                LEAD_MS, question.durationMillis(), GAP_MS, LOUD, VoiceTaps.quietTailMillis(question)));
        VoiceBench.publish(report, md.toString().replace("{end}", load()));
    }

    private static String run(VoiceModes.Mode mode, FastRtc runtime, VoiceTaps taps, Path wav, int questions,
                              AudioFrame question) throws Exception {
        VoiceModes.Script script = new VoiceModes.Script();
        Stream stream = Stream.builder().runtime(runtime).audio(mode.build().apply(script)).build();
        Javalin app = Javalin.create(cfg -> {
            cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = "/api"));
            cfg.routes.get("/voice-turn.html", ctx -> ctx.contentType("text/html").result(resource("voice-turn.html")));
            cfg.routes.get("/fastrtc-client.js", ctx -> ctx.contentType("text/javascript")
                    .result(resource("/browser/fastrtc-client.js")));
        });
        app.start("127.0.0.1", 0);
        List<Double> turn = new ArrayList<>();
        List<Double> uplink = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        List<Double> downlink = new ArrayList<>();
        double tail = VoiceTaps.quietTailMillis(question);
        double length = question.durationMillis();
        int mark = taps.samples();
        // A browser per mode: its fake microphone plays the file from the start for each capture.
        try (Browser browser = Browser.launch("--use-file-for-fake-audio-capture=" + wav + "%noloop")) {
            browser.open("http://127.0.0.1:" + app.port() + "/voice-turn.html");
            double began = ((Number) browser.runAsync(Duration.ofSeconds(20), "return await window.turns.start("
                    + "arguments[0], arguments[1]);", "/api/webrtc/offer", "voice-browser-" + System.nanoTime()))
                    .doubleValue();
            for (int i = 0; i < questions; i++) {
                double end = began + LEAD_MS + i * (length + GAP_MS) + length;
                long wait = (long) (end - System.currentTimeMillis());
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                Object heard = browser.runAsync(Duration.ofSeconds(10), "return await window.turns.listen(arguments[0],"
                        + " 3000);", LOUD);
                if (!(heard instanceof Number h)) {
                    System.out.println("  no reply heard");
                    continue;
                }
                turn.add(h.doubleValue() - end);
                VoiceTaps.Turn t = taps.after(nanos(end - length));
                String legs = "";
                if (t != null) {
                    uplink.add(wallMillis(t.speechEnd) - (end - tail));
                    server.add((t.firstAudio - t.speechEnd) / 1e6);
                    downlink.add(h.doubleValue() - wallMillis(t.firstAudio));
                    legs = String.format(Locale.ROOT, " (uplink %.0f, server %.0f, downlink %.0f ms)",
                            uplink.get(uplink.size() - 1), server.get(server.size() - 1),
                            downlink.get(downlink.size() - 1));
                }
                System.out.printf(Locale.ROOT, "  turn %.0f ms%s%n", h.doubleValue() - end, legs);
            }
            Object jb = browser.runAsync(Duration.ofSeconds(5), "return await window.turns.jitterBufferMillis();");
            browser.runAsync(Duration.ofSeconds(5), "window.turns.stop();");
            return String.format(Locale.ROOT, "| %s | %d ms | %s | %s | %s | %s | %s | %s | %s |", mode.name(),
                    mode.silenceMillis(), VoiceReport.ms(VoiceBench.percentile(turn, 50)),
                    VoiceReport.ms(VoiceBench.percentile(turn, 90)), VoiceReport.ms(VoiceBench.percentile(uplink, 50)),
                    VoiceReport.ms(VoiceBench.percentile(server, 50)),
                    VoiceReport.ms(VoiceBench.percentile(downlink, 50)), VoiceReport.ms(taps.receiveJitterSince(mark)),
                    jb instanceof Number n ? VoiceReport.ms(n.doubleValue()) : "–");
        } finally {
            stream.close();
            app.stop();
        }
    }

    /** Wall-clock ms as {@code System.nanoTime()}. */
    private static long nanos(double wallMillis) {
        return System.nanoTime() - (long) ((System.currentTimeMillis() - wallMillis) * 1e6);
    }

    /** {@code System.nanoTime()} as wall-clock ms, the browser's {@code performance.timeOrigin + now()} scale. */
    private static double wallMillis(long nanos) {
        return System.currentTimeMillis() - (System.nanoTime() - nanos) / 1e6;
    }

    private static byte[] resource(String name) {
        try (InputStream in = VoiceBrowser.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String load() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
