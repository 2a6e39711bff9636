package io.fastrtc.transport;

import io.fastrtc.security.Cors;
import io.fastrtc.security.Request;
import io.fastrtc.ui.UiOptions;

/**
 * A stream's transport-neutral entry points, what a web-server adapter serves: FastRTC's routes and
 * WebSockets, and the built-in web UI. {@code io.fastrtc.stream.Stream} implements it; adapters take
 * a {@code Stream} from the application and see it only through this interface. None of the methods
 * throws: a refusal is a reply (or a socket closed with a code).
 */
public interface Endpoints {

    /**
     * {@code POST {path}/webrtc/offer}: an offer or a trickled candidate (read the body with
     * {@link RequestBody#read} and at most {@link RequestBody#MAX_OFFER_BYTES}).
     */
    HttpReply handleOffer(Request request, String body);

    /** {@code GET {path}/webrtc/rtc-configuration}; the adapter adds {@code Cache-Control: no-store}. */
    HttpReply handleRtcConfiguration(Request request);

    /** {@code POST {path}/telephone/incoming}: Twilio's voice webhook with its form-encoded body. */
    HttpReply handleIncomingCall(Request request, String body);

    /** {@code WS {path}/websocket/offer}: call it when the socket opens and forward its frames and close. */
    SocketSession openWebSocket(SocketPeer peer, Request upgrade);

    /** {@code WS {path}/telephone/handler}: Twilio Media Streams, as {@link #openWebSocket}. */
    SocketSession openTelephone(SocketPeer peer, Request upgrade);

    /** Which other origins may call the routes from a browser; adapters apply it to every route. */
    Cors cors();

    /** The answers of the web UI served under {@code uiPath} with {@code options}, next to routes at {@code streamPath}. */
    UiEndpoints uiEndpoints(UiOptions options, String uiPath, String streamPath);
}
