package io.fastrtc.testing;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Says as additional outputs how many audio frames it has heard ({@code "heard 10"}), every ten frames. */
public final class CountingHandler extends StreamHandler {

    private final ConcurrentLinkedQueue<Emit> out = new ConcurrentLinkedQueue<>();
    private int frames;

    public CountingHandler() {
        super(16000, Layout.MONO, 16000);
    }

    @Override
    public void receive(AudioFrame frame) {
        if (++frames % 10 == 0) {
            out.add(AdditionalOutputs.of("heard " + frames));
        }
    }

    @Override
    public Emit emit() {
        return out.poll();
    }

    @Override
    public StreamHandler copy() {
        return new CountingHandler();
    }
}
