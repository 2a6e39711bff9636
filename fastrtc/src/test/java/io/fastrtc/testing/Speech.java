package io.fastrtc.testing;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Real speech for tests, synthesised by espeak-ng (Debian package espeak-ng, installed by scripts/setup). */
public final class Speech {

    private Speech() {
    }

    /** {@code text} spoken at 48 kHz mono. */
    public static AudioFrame say(String text) {
        try {
            Path wav = Files.createTempFile("speech", ".wav");
            try {
                Process p = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav.toString(), text)
                        .redirectErrorStream(true).start();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("espeak-ng failed: " + new String(p.getInputStream().readAllBytes()));
                }
                return Wav.read(wav).toMono().resample(48000);
            } finally {
                Files.deleteIfExists(wav);
            }
        } catch (IOException e) {
            throw new IllegalStateException("espeak-ng is needed for speech tests (apt-get install espeak-ng)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
