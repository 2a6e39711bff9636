package io.fastrtc.speech;

import io.fastrtc.audio.AudioFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** The default {@link LiveTranscription}: keeps the audio and transcribes it all at the end. */
final class BufferedTranscription implements LiveTranscription {

    private final SpeechToText stt;
    private final Consumer<Transcript> listener;
    private final List<AudioFrame> audio = new ArrayList<>();
    private volatile boolean closed;

    BufferedTranscription(SpeechToText stt, Consumer<Transcript> listener) {
        this.stt = stt;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void send(AudioFrame frame) {
        Objects.requireNonNull(frame, "audio");
        checkOpen();
        AudioFrame mono = frame.toMono();
        audio.add(audio.isEmpty() ? mono : mono.resample(audio.get(0).sampleRate()));
    }

    @Override
    public String finish() {
        checkOpen();
        try {
            if (audio.isEmpty()) {
                return "";
            }
            AudioFrame all = audio.get(0);
            for (AudioFrame next : audio.subList(1, audio.size())) {
                all = all.concat(next);
            }
            String text = stt.transcribe(all);
            listener.accept(new Transcript(text, true, true));
            return text;
        } finally {
            closed = true;
            audio.clear();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this transcription was finished or closed; open another with live(...)");
        }
    }

    @Override
    public void close() {
        closed = true; // the audio goes with this object; clearing it here could race the feeding thread
    }
}
