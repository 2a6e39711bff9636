package io.fastrtc.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.protocol.Messages;
import io.fastrtc.protocol.OfferRequest;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.security.Request;
import io.fastrtc.transport.SocketPeer;

/**
 * FastRTC's WebSocket protocol ({@code WS {path}/websocket/offer}): {@code start} with
 * {@code websocket_id}, then base64 µ-law {@code media} at the handler's input rate; media back at
 * its output rate; {@code stop}; {@code ping}/{@code pong}; every data-channel message as text.
 *
 * <p>Kept from FastRTC: the events, the failure JSON before closing
 * ({@code {"status":"failed","meta":{"error":"concurrency_limit_reached","limit":N}}}), µ-law at the
 * handler's own rates without resampling. Fixed or added: the session obeys the concurrency limit,
 * time limit and shutdown hook (FastRTC skips them for sockets); events out of order get an error
 * instead of breaking the session; output is paced in 20 ms messages instead of one burst per handler item;
 * {@code fetch_output} and {@code end_stream} are sent as over a data channel (FastRTC sends
 * neither here); barge-in sends {@code {"event":"clear"}}; an unknown event or a message without
 * {@code event} gets an {@code error} message instead of being ignored or ending the session.
 */
final class WebSocketEndpoint extends SocketEndpoint {

    WebSocketEndpoint(Stream stream, SocketPeer peer, Request request) {
        super(stream, peer, request);
    }

    @Override
    Start readStart(JsonNode message) throws BadMessage {
        JsonNode id = message.get("websocket_id");
        if (id == null || !id.isTextual()) {
            throw new BadMessage("start needs a \"websocket_id\": {\"event\":\"start\",\"websocket_id\":\"<your id>\"}");
        }
        try {
            OfferRequest.checkId(id.asText());
        } catch (ProtocolException e) {
            throw new BadMessage(e.getMessage().replace("webrtc_id", "websocket_id"));
        }
        int inputRate = stream.sessions().audioHandler() == null ? 48000 : stream.sessions().audioHandler().inputSampleRate();
        return new Start(id.asText(), inputRate, 0, null);
    }

    @Override
    void onEvent(String event, JsonNode message) throws BadMessage {
        throw new BadMessage("ignored unknown event \"" + (event.length() > 40 ? event.substring(0, 40) + "..." : event)
                + "\"; this socket takes start, media, stop and ping");
    }

    @Override
    void report(String problem) {
        send(Messages.error(problem));
    }

    @Override
    void refused(Refused refusal) {
        send(refusal.reply().body());
    }

    @Override
    void sendData(String text) {
        send(text);
    }

    @Override
    String streamSid() {
        return null;
    }

    @Override
    boolean phone() {
        return false;
    }
}
