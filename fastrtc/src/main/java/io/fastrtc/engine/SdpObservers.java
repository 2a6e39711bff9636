package io.fastrtc.engine;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.concurrent.CompletableFuture;

/** libwebrtc's description callbacks as futures; they run on its signaling thread, so only complete. */
final class SdpObservers {

    private SdpObservers() {
    }

    /** {@code remote}: the description came from the other side, so its refusal is an {@link InvalidSdpException}. */
    static SetSessionDescriptionObserver set(CompletableFuture<Void> done, boolean remote) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                NativeCallbacks.guard("set description", () -> done.complete(null));
            }

            @Override
            public void onFailure(String error) {
                NativeCallbacks.guard("set description", () -> done.completeExceptionally(
                        remote ? new InvalidSdpException(error) : new EngineException(error)));
            }
        };
    }

    /*
     * Known leak, not fixable from Java: webrtc-java's native twin of this observer (0.14.0, also
     * 0.15.0) never deletes the SessionDescription libwebrtc hands to OnSuccess, so every offer or
     * answer created leaves it behind (about 15 KB for video + data channel; see the leak soak
     * report). The pointer never reaches Java, and there is no parameterless setLocalDescription.
     */
    static CreateSessionDescriptionObserver create(CompletableFuture<RTCSessionDescription> done) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                NativeCallbacks.guard("create description", () -> done.complete(description));
            }

            @Override
            public void onFailure(String error) {
                NativeCallbacks.guard("create description", () -> done.completeExceptionally(new EngineException(error)));
            }
        };
    }
}
