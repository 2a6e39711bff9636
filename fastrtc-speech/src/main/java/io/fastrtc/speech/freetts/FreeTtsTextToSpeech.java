package io.fastrtc.speech.freetts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.audio.AudioPlayer;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.speech.TextToSpeech;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import javax.sound.sampled.AudioFormat;

/**
 * Offline text-to-speech with FreeTTS (pure Java, BSD) and its {@code kevin16} voice: a robotic
 * but clear US-English male voice at 16 kHz, needing nothing outside the jar.
 *
 * <p>The voice loads on first use (about a second); call {@link #warmup()} at start-up to pay for it
 * then. FreeTTS voices are not thread-safe, so one instance synthesises one text at a time
 * (a short sentence takes a few tens of milliseconds).
 */
public final class FreeTtsTextToSpeech implements TextToSpeech {

    /** The voice's sample rate. */
    public static final int SAMPLE_RATE = 16000;
    private static final String VOICE = "kevin16";

    private Voice voice;

    /** Loads the voice now rather than on the first {@link #synthesize}. */
    public synchronized FreeTtsTextToSpeech warmup() {
        voice();
        return this;
    }

    @Override
    public synchronized AudioFrame synthesize(String text) {
        if (Objects.requireNonNull(text, "text").isBlank()) {
            return AudioFrame.ofPcm16(SAMPLE_RATE, 1, new short[0]);
        }
        Voice v = voice();
        Collector collector = new Collector();
        v.setAudioPlayer(collector);
        if (!v.speak(text)) {
            throw new IllegalStateException("FreeTTS could not speak \"" + text + "\"");
        }
        return collector.audio();
    }

    private Voice voice() {
        if (voice == null) {
            for (Voice v : new KevinVoiceDirectory().getVoices()) {
                if (v.getName().equals(VOICE)) {
                    v.allocate();
                    voice = v;
                }
            }
            if (voice == null) {
                throw new IllegalStateException("the FreeTTS jar has no " + VOICE
                        + " voice; use net.sf.sociaal:freetts:1.2.2, which includes it");
            }
        }
        return voice;
    }

    /** Receives the voice's output instead of a sound card. */
    private static final class Collector implements AudioPlayer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private AudioFormat format;

        AudioFrame audio() {
            byte[] b = bytes.toByteArray();
            if (format == null) {
                return AudioFrame.ofPcm16(SAMPLE_RATE, 1, new short[0]);
            }
            if (format.getSampleSizeInBits() != 16 || format.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new IllegalStateException("FreeTTS produced " + format + "; expected 16-bit signed PCM");
            }
            ByteOrder order = format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            short[] samples = new short[b.length / 2];
            ByteBuffer.wrap(b).order(order).asShortBuffer().get(samples);
            return AudioFrame.ofPcm16((int) format.getSampleRate(), format.getChannels(), samples);
        }

        @Override
        public void setAudioFormat(AudioFormat format) {
            this.format = format;
        }

        @Override
        public AudioFormat getAudioFormat() {
            return format;
        }

        @Override
        public boolean write(byte[] audio) {
            return write(audio, 0, audio.length);
        }

        @Override
        public boolean write(byte[] audio, int offset, int length) {
            bytes.write(audio, offset, length);
            return true;
        }

        // Playback controls mean nothing here.

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void reset() {
        }

        @Override
        public boolean drain() {
            return true;
        }

        @Override
        public void begin(int size) {
        }

        @Override
        public boolean end() {
            return true;
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }

        @Override
        public float getVolume() {
            return 1;
        }

        @Override
        public void setVolume(float volume) {
        }

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public void resetTime() {
        }

        @Override
        public void startFirstSampleTimer() {
        }

        @Override
        public void showMetrics() {
        }
    }
}
