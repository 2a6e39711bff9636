package io.fastrtc.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.fastrtc.handler.Context;
import io.fastrtc.internal.SerialExecutor;
import io.fastrtc.protocol.OfferRequest;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.security.Request;
import io.fastrtc.telephone.DtmfListener;
import io.fastrtc.telephone.PhoneCall;
import io.fastrtc.transport.SocketPeer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio Media Streams ({@code WS {path}/telephone/handler}), as Twilio documents it: {@code connected},
 * {@code start} (stream and call ids, media format, custom parameters), 8 kHz µ-law {@code media},
 * {@code dtmf}, {@code mark}, {@code stop}; we send {@code media}, {@code mark} and {@code clear}.
 * The session id is the {@code streamSid}; the handler runs in phone mode (no inputs are asked
 * for) and sees the call through {@link Context#phoneCall()}.
 *
 * <p>Where we differ from FastRTC on purpose: phone sessions count against the concurrency limit,
 * obey the time limit and run the shutdown hook (FastRTC never registers them); barge-in sends {@code clear}, so an
 * interrupted reply stops on the phone at once; marks tell when audio has really played (see
 * {@link SocketAudioSink}); output is paced in real time plus a small lead instead of at 0.75x;
 * additional outputs reach {@code stream.outputStream(streamSid)} instead of being dropped; the
 * handshake's {@code X-Twilio-Signature} can be required; a refused call is closed without sending
 * FastRTC's failure JSON, which is not part of Twilio's protocol; data-channel messages are dropped.
 */
final class TwilioEndpoint extends SocketEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TwilioEndpoint.class);
    /** The DTMF listener is the application's code: it runs on the runtime's handler threads, in order. */
    private final SerialExecutor keys;
    private volatile String streamSid;

    TwilioEndpoint(Stream stream, SocketPeer peer, Request request) {
        super(stream, peer, request);
        keys = new SerialExecutor(task -> stream.workerFactory().newThread(task).start());
    }

    @Override
    boolean accepts() {
        if (!stream.twilio().acceptsStream(request)) {
            refused("forbidden");
            closeSocket(POLICY_VIOLATION, "forbidden"); // why is in the log, not for the caller
            return false;
        }
        return super.accepts();
    }

    @Override
    Start readStart(JsonNode message) throws BadMessage {
        JsonNode start = message.path("start");
        String sid = text(start, "streamSid");
        if (sid == null) {
            sid = text(message, "streamSid");
        }
        if (sid == null) {
            throw new BadMessage("start without streamSid");
        }
        try {
            OfferRequest.checkId(sid);
        } catch (ProtocolException e) {
            throw new BadMessage(e.getMessage().replace("webrtc_id", "streamSid"));
        }
        JsonNode format = start.path("mediaFormat");
        String encoding = format.path("encoding").asText("audio/x-mulaw");
        int rate = format.path("sampleRate").asInt(8000);
        int channels = format.path("channels").asInt(1);
        if (!encoding.equals("audio/x-mulaw") || channels != 1 || rate < 8000 || rate > 48000 || rate % 50 != 0) {
            throw new BadMessage(UNSUPPORTED_DATA, "unsupported media format " + encoding + "/" + rate + "/" + channels
                    + "; Media Streams send audio/x-mulaw, 8000 Hz, mono");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = start.path("customParameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            parameters.put(p.getKey(), p.getValue().asText());
        }
        streamSid = sid;
        PhoneCall call = new PhoneCall(sid, text(start, "callSid"), text(start, "accountSid"), parameters);
        return new Start(sid, rate, rate, call);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    @Override
    boolean fromClient(String track) {
        return track == null || track.equals("inbound");
    }

    @Override
    void onEvent(String event, JsonNode message) {
        SocketConnection c = connection();
        switch (event) {
            case "connected" -> {
            }
            case "mark" -> {
                String name = text(message.path("mark"), "name");
                if (c != null && name != null) {
                    c.markPlayed(name);
                }
            }
            case "dtmf" -> {
                String digit = text(message.path("dtmf"), "digit");
                DtmfListener listener = stream.twilio().options().onDtmf();
                if (c != null && digit != null && listener != null) {
                    PhoneCall call = c.phoneCall().orElseThrow();
                    keys.execute(() -> {
                        Context.ContextHolder.set(c);
                        try {
                            c.call(false, () -> {
                                listener.onDigit(call, digit);
                                return null;
                            });
                        } finally {
                            Context.ContextHolder.set(null);
                        }
                    });
                }
            }
            default -> LOG.debug("{}: ignored Twilio event {}", streamSid, event);
        }
    }

    @Override
    void report(String problem) {
        LOG.warn("Media Streams socket {}: {}", streamSid == null ? request.remoteAddress() : streamSid, problem);
    }

    @Override
    void refused(Refused refusal) {
        // Twilio's protocol has no failure message; the call goes on with the TwiML after <Connect>.
    }

    @Override
    void sendData(String text) {
        // No data channel on a phone call.
    }

    @Override
    String streamSid() {
        return streamSid;
    }

    @Override
    boolean phone() {
        return true;
    }
}
