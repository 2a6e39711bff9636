package io.fastrtc.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes 16-bit PCM WAV, the format of test fixtures, recordings and many TTS engines.
 *
 * <p>Written by hand rather than through {@code javax.sound.sampled} because that API works on
 * streams with checked exceptions and silently converts formats; here unsupported files fail with
 * a message saying what they contain. Reading is lenient where real files are sloppy: unknown
 * chunks (LIST, fact, ...) are skipped, and a data size that is missing or larger than the file (as
 * written by tools that stream to a pipe) means "up to the end of the file".
 */
public final class Wav {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /** The frame as a canonical 44-byte-header PCM16 WAV file. */
    public static byte[] write(AudioFrame frame) {
        Objects.requireNonNull(frame, "frame");
        short[] samples = frame.rawSamples();
        int dataBytes = samples.length * 2;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = frame.channels() * 2;
        out.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        out.put(ascii("fmt ")).putInt(16).putShort((short) FORMAT_PCM).putShort((short) frame.channels())
                .putInt(frame.sampleRate()).putInt(frame.sampleRate() * blockAlign).putShort((short) blockAlign)
                .putShort((short) 16);
        out.put(ascii("data")).putInt(dataBytes);
        for (short s : samples) {
            out.putShort(s);
        }
        return out.array();
    }

    public static void write(AudioFrame frame, Path file) throws IOException {
        Files.write(file, write(frame));
    }

    public static AudioFrame read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /**
     * Parses a WAV file.
     *
     * @throws IllegalArgumentException if the bytes are not a RIFF/WAVE file, or hold anything but
     *     16-bit PCM with 1 or 2 channels at 8000..192000 Hz
     */
    public static AudioFrame read(byte[] wav) {
        Objects.requireNonNull(wav, "wav");
        ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || !"RIFF".equals(tag(in, 0)) || !"WAVE".equals(tag(in, 8))) {
            throw new IllegalArgumentException("not a WAV file: expected a RIFF/WAVE header, got "
                    + (wav.length < 12 ? wav.length + " bytes" : "'" + tag(in, 0) + "'/'" + tag(in, 8) + "'"));
        }
        int channels = 0;
        int sampleRate = 0;
        int pos = 12;
        while (pos + 8 <= wav.length) {
            String id = tag(in, pos);
            long size = Integer.toUnsignedLong(in.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > wav.length) {
                    throw new IllegalArgumentException("WAV fmt chunk is truncated (" + size + " bytes)");
                }
                int format = in.getShort(body) & 0xffff;
                if (format == FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= wav.length) {
                    format = in.getShort(body + 24) & 0xffff; // first two bytes of the SubFormat GUID
                }
                channels = in.getShort(body + 2) & 0xffff;
                sampleRate = in.getInt(body + 4);
                int bits = in.getShort(body + 14) & 0xffff;
                checkSupported(format, bits, channels, sampleRate);
            } else if (id.equals("data")) {
                if (channels == 0) {
                    throw new IllegalArgumentException("WAV data chunk comes before the fmt chunk; the file is damaged");
                }
                int blockAlign = 2 * channels;
                long available = Math.min(size, wav.length - body);
                int frames = (int) (available / blockAlign);
                return AudioFrame.wrap(sampleRate, channels, Pcm.fromLittleEndian(wav, body, frames * channels));
            }
            pos = (int) Math.min(wav.length, body + size + (size & 1)); // chunks are padded to even sizes
        }
        throw new IllegalArgumentException(channels == 0 ? "WAV file has no fmt chunk" : "WAV file has no data chunk");
    }

    private static void checkSupported(int format, int bits, int channels, int sampleRate) {
        if (format != FORMAT_PCM || bits != 16) {
            throw new IllegalArgumentException("unsupported WAV encoding: " + describe(format) + ", " + bits
                    + " bits per sample; only 16-bit PCM is supported (convert with e.g."
                    + " 'sox in.wav -b 16 -e signed-integer out.wav')");
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("unsupported WAV: " + channels
                    + " channels; only mono or stereo is supported (downmix with e.g. 'sox in.wav -c 1 out.wav')");
        }
        if (sampleRate < AudioFrame.MIN_SAMPLE_RATE || sampleRate > AudioFrame.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("unsupported WAV sample rate " + Integer.toUnsignedString(sampleRate)
                    + " Hz; supported: " + AudioFrame.MIN_SAMPLE_RATE + ".." + AudioFrame.MAX_SAMPLE_RATE + " Hz");
        }
    }

    private static String describe(int format) {
        return switch (format) {
            case FORMAT_PCM -> "integer PCM";
            case 3 -> "IEEE float";
            case 6 -> "A-law";
            case 7 -> "µ-law";
            default -> "format code 0x" + Integer.toHexString(format);
        };
    }

    private static String tag(ByteBuffer in, int pos) {
        byte[] b = new byte[4];
        in.get(pos, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
