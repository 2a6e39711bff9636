package io.fastrtc.ice;

import java.util.List;
import java.util.Objects;

/**
 * One STUN or TURN server, in the shape browsers and FastRTC use ({@code urls}, {@code username},
 * {@code credential}).
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL, e.g. turn:turn.example.com:3478");
        }
        for (String url : urls) {
            if (url == null || !(url.startsWith("stun:") || url.startsWith("turn:") || url.startsWith("turns:"))) {
                throw new IllegalArgumentException(
                        "ICE server URL '" + url + "' must start with stun:, turn: or turns:");
            }
        }
        urls = List.copyOf(urls);
    }

    /** A server that needs no credentials (typically STUN). */
    public static IceServer of(String... urls) {
        return new IceServer(List.of(urls), null, null);
    }

    /** A server with credentials (typically TURN). */
    public static IceServer of(String url, String username, String credential) {
        return new IceServer(List.of(url), username, credential);
    }
}
