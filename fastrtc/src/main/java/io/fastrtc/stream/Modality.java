package io.fastrtc.stream;

/** Media kind of a stream, as FastRTC names it. */
public enum Modality {
    VIDEO("video"),
    AUDIO("audio"),
    AUDIO_VIDEO("audio-video");

    private final String wireName;

    Modality(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether an incoming track of {@code kind} ("audio"/"video") belongs to this modality. */
    public boolean accepts(String kind) {
        return switch (this) {
            case VIDEO -> kind.equals("video");
            case AUDIO -> kind.equals("audio");
            case AUDIO_VIDEO -> kind.equals("audio") || kind.equals("video");
        };
    }
}
