package io.fastrtc.bench.load.rtp;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Arrays;

/**
 * A caller's microphone, encoded once: the utterance as {@value #FRAME_MS} ms Opus packets (48 kHz mono,
 * pure-Java Concentus) and one packet of digital silence sent between utterances, so sending costs no
 * encoding. What comes back is judged by {@link OpusEar}.
 */
public final class OpusClip {

    static final int FRAME_MS = 20;
    static final int FRAME_SAMPLES = 48 * FRAME_MS;
    final byte[][] speech;
    final byte[] silence;

    private OpusClip(byte[][] speech, byte[] silence) {
        this.speech = speech;
        this.silence = silence;
    }

    /** Encodes 48 kHz mono PCM (the last partial frame padded with silence), then a silence packet. */
    public static OpusClip encode(short[] pcm48k) {
        try {
            OpusEncoder encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(32000);
            int frames = (pcm48k.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
            short[] padded = Arrays.copyOf(pcm48k, frames * FRAME_SAMPLES);
            byte[][] speech = new byte[frames][];
            byte[] out = new byte[1500];
            for (int i = 0; i < frames; i++) {
                int n = encoder.encode(padded, i * FRAME_SAMPLES, FRAME_SAMPLES, out, 0, out.length);
                speech[i] = Arrays.copyOf(out, n);
            }
            short[] quiet = new short[FRAME_SAMPLES];
            int n = 0;
            for (int i = 0; i < 10; i++) { // the encoder settles into its steady silence packet
                n = encoder.encode(quiet, 0, FRAME_SAMPLES, out, 0, out.length);
            }
            return new OpusClip(speech, Arrays.copyOf(out, n));
        } catch (OpusException e) {
            throw new IllegalStateException("cannot encode the utterance", e);
        }
    }

}
