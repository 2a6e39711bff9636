package io.fastrtc.bench.load.rtp;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * A caller's ear: whether a received Opus packet is loud (the RMS of its decoded 48 kHz samples
 * above a threshold, as the libwebrtc caller judges its decoded frames). Decoding every packet is
 * most of a light caller's cost (FastRTC sends 10 ms packets all the time, silence between replies),
 * so a gated ear skips tiny packets (at most {@value #TINY_BYTES} bytes of Opus: the encoder's
 * silence) once {@value #SETTLE} of them in a row were decoded: the decoder then sits in its
 * silence state, which decoding more silence would not change, and the packet it decodes next
 * comes out as it would have. RtpCallerTest replays a real call through both ears and requires the
 * same decision for every packet.
 */
public final class OpusEar {

    static final int TINY_BYTES = 8;
    static final int SETTLE = 3;
    /** Opus's longest packet, 120 ms at 48 kHz. */
    private static final int MAX_SAMPLES = 5760;
    private final double loud;
    private final boolean gated;
    private final OpusDecoder decoder;
    private final short[] pcm = new short[MAX_SAMPLES];
    private int tinyRun;
    private long decoded;
    private long skipped;

    /** An ear for which a decoded RMS above {@code loud} is loud; {@code gated} skips settled silence. */
    public OpusEar(double loud, boolean gated) {
        this.loud = loud;
        this.gated = gated;
        try {
            decoder = new OpusDecoder(48000, 1);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the Opus packet in {@code b[offset, offset + length)} is loud. */
    public boolean hear(byte[] b, int offset, int length) {
        boolean tiny = length <= TINY_BYTES;
        if (gated && tiny && tinyRun >= SETTLE) {
            skipped++;
            return false;
        }
        tinyRun = tiny ? tinyRun + 1 : 0;
        decoded++;
        try {
            int n = decoder.decode(b, offset, length, pcm, 0, MAX_SAMPLES, false);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += (double) pcm[i] * pcm[i];
            }
            return n > 0 && Math.sqrt(sum / n) > loud;
        } catch (OpusException e) {
            return false;
        }
    }

    public long decoded() {
        return decoded;
    }

    public long skipped() {
        return skipped;
    }
}
