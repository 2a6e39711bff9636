package io.fastrtc.audio;

import java.util.Objects;

/**
 * G.711 µ-law, the 8-bit telephony codec used by Twilio Media Streams and by FastRTC's WebSocket
 * transport (8 bits per sample, at whatever rate the PCM had).
 *
 * <p>Bit-exact with the JDK's codec ({@code javax.sound.sampled}, {@code AudioFormat.Encoding.ULAW})
 * and with Sun's reference {@code g711.c} it derives from, with one deliberate difference: the JDK
 * computes the biased magnitude in a {@code short}, which overflows for samples beyond ±32635 and
 * encodes near-full-scale audio as silence (32767 becomes code 0xFF, i.e. 0). Here those samples
 * clip to the loudest code, as G.711 specifies. (Python's {@code audioop.lin2ulaw}, used by
 * FastRTC, first drops to 14 bits with a flooring shift, so 381 negative samples that sit on a
 * quantisation boundary get the neighbouring code; decoding is identical.)
 */
public final class MuLaw {

    private static final int BIAS = 0x84;
    private static final short[] DECODE = new short[256];

    static {
        for (int code = 0; code < 256; code++) {
            int u = ~code & 0xff;
            int t = (((u & 0x0f) << 3) + BIAS) << ((u & 0x70) >> 4);
            DECODE[code] = (short) ((u & 0x80) != 0 ? BIAS - t : t - BIAS);
        }
    }

    private MuLaw() {
    }

    /** One sample to its µ-law code. */
    public static byte encode(short sample) {
        int magnitude;
        int mask;
        if (sample < 0) {
            magnitude = BIAS - sample;
            mask = 0x7f;
        } else {
            magnitude = sample + BIAS;
            mask = 0xff;
        }
        if (magnitude > 0x7fff) {
            return (byte) (0x7f ^ mask);
        }
        // Segment = position of the highest set bit above bit 7 (the bias guarantees bit 7 or higher is set).
        int segment = Math.max(0, 31 - Integer.numberOfLeadingZeros(magnitude) - 7);
        return (byte) (((segment << 4) | ((magnitude >> (segment + 3)) & 0x0f)) ^ mask);
    }

    /** One µ-law code to its sample. */
    public static short decode(byte code) {
        return DECODE[code & 0xff];
    }

    public static byte[] encode(short[] samples) {
        Objects.requireNonNull(samples, "samples");
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = encode(samples[i]);
        }
        return out;
    }

    public static short[] decode(byte[] codes) {
        Objects.requireNonNull(codes, "codes");
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = decode(codes[i]);
        }
        return out;
    }
}
