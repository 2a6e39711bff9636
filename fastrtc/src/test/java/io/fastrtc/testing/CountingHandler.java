package io.fastrtc.testing;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Emit;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Says as additional outputs how many loud audio frames it has heard ({@code "heard 10"}), every ten
 * of them; silence publishes nothing.
 */
public final class CountingHandler extends StreamHandler {

    private final ConcurrentLinkedQueue<Emit> out = new ConcurrentLinkedQueue<>();
    private int frames;

    public CountingHandler() {
        super(16000, Layout.MONO, 16000);
    }

    @Override
    public void receive(AudioFrame frame) {
        if (loud(frame) && ++frames % 10 == 0) {
            out.add(AdditionalOutputs.of("heard " + frames));
        }
    }

    private static boolean loud(AudioFrame frame) {
        for (short s : frame.toPcm16()) {
            if (Math.abs(s) > 1000) {
                return true;
            }
        }
        return false;
    }

    /** Two seconds of a loud 440 Hz tone at 16 kHz, for a client to say. */
    public static AudioFrame tone() {
        short[] s = new short[32000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000));
        }
        return AudioFrame.ofPcm16(16000, 1, s);
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
