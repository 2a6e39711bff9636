package io.fastrtc.testing;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.Emit;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** Plays back what it receives; remembers the formats it was given and every copy made of it. */
public class EchoHandler extends StreamHandler {

    private final ConcurrentLinkedQueue<AudioFrame> queue = new ConcurrentLinkedQueue<>();
    private final List<String> formats = new CopyOnWriteArrayList<>();
    private final List<EchoHandler> copies;

    public EchoHandler() {
        this(48000, new CopyOnWriteArrayList<>());
    }

    public EchoHandler(int inputSampleRate) {
        this(inputSampleRate, new CopyOnWriteArrayList<>());
    }

    private EchoHandler(int inputSampleRate, List<EchoHandler> copies) {
        super(inputSampleRate, Layout.MONO, 24000);
        this.copies = copies;
    }

    /** Called for every frame before it is queued for playback; throw to simulate a failing handler. */
    protected void inspect(AudioFrame frame) {
    }

    @Override
    public void receive(AudioFrame frame) {
        if (formats.size() < 5) {
            formats.add(frame.sampleRate() + "/" + frame.channels() + "/" + frame.samplesPerChannel());
        }
        inspect(frame);
        queue.add(frame);
    }

    @Override
    public Emit emit() {
        return queue.poll();
    }

    @Override
    public StreamHandler copy() {
        EchoHandler copy = new EchoHandler(inputSampleRate(), copies);
        copies.add(copy);
        return copy;
    }

    /** "rate/channels/samples" of the first frames received. */
    public List<String> formats() {
        return formats;
    }

    /** The per-connection copies made so far. */
    public List<EchoHandler> copies() {
        return copies;
    }
}
