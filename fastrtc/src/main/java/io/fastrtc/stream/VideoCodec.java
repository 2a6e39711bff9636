package io.fastrtc.stream;

/**
 * The video codec the server asks both directions to use when the client offers it. H264 is the
 * default: on libwebrtc's software codecs it costs about half the CPU of VP8 (12 % vs 21-27 % of a
 * core per 640x480@30 echo, measured). Offers without it fall back to the client's first choice.
 */
public enum VideoCodec {
    H264("H264"),
    VP8("VP8"),
    VP9("VP9"),
    AV1("AV1"),
    /** Keep the client's order. */
    CLIENT_CHOICE(null);

    private final String sdpName;

    VideoCodec(String sdpName) {
        this.sdpName = sdpName;
    }

    String sdpName() {
        return sdpName;
    }
}
