package io.fastrtc.audio;

/** Channel layout a handler wants its input in. */
public enum Layout {
    MONO(1), STEREO(2);

    private final int channels;

    Layout(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
