package io.fastrtc.stream;

import io.fastrtc.engine.InvalidSdpException;
import io.fastrtc.engine.Sdp;
import io.fastrtc.internal.Incidents;
import io.fastrtc.protocol.Json;
import io.fastrtc.protocol.OfferRequest;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Request;
import io.fastrtc.telemetry.Transport;
import io.fastrtc.transport.HttpReply;
import io.fastrtc.transport.ProtocolException;
import io.fastrtc.transport.RequestBody;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's answers to {@code POST /webrtc/offer} (an SDP offer or a trickled candidate) and
 * {@code GET /webrtc/rtc-configuration}: the request is checked, an offer is admitted
 * ({@link Admission}) and negotiated, a candidate goes to its connection here or on its instance.
 * None of it throws: every outcome is a reply.
 */
final class Offers {

    private static final Logger LOG = LoggerFactory.getLogger(Offers.class);

    private final Stream stream;
    private final ConnectionRegistry registry;

    Offers(Stream stream, ConnectionRegistry registry) {
        this.stream = stream;
        this.registry = registry;
    }

    /** {@link Stream#handleOffer(Request, String)}. */
    HttpReply handle(Request request, String body) {
        if (stream.isClosed()) {
            return counted(HttpReply.failed(503, "stream_closed", "this stream is closed"));
        }
        Caller caller;
        OfferRequest offer;
        try {
            caller = stream.authorize(request);
            RequestBody.checkJson(request.header("content-type"));
            offer = OfferRequest.parse(body);
        } catch (AccessDenied e) {
            return counted(HttpReply.refused(e));
        } catch (ProtocolException e) {
            return counted(e.reply());
        }
        if (!offer.isCandidate()) {
            return counted(sdpOffer(caller, offer));
        }
        if (registry.contains(offer.webrtcId())) {
            return localCandidate(caller, offer);
        }
        try {
            HttpReply elsewhere = stream.remote().candidate(caller, offer.webrtcId(), body);
            return elsewhere != null ? elsewhere : HttpReply.failed("unknown_connection", Map.of());
        } catch (RuntimeException e) {
            LOG.warn("candidate for {} not delivered: {}", offer.webrtcId(), e.getMessage());
            return HttpReply.failed(503, "owner_unreachable", "the instance holding this connection did not answer");
        }
    }

    /** Reports a failure as a refused offer (whatever its kind: a request that was not yet read may have been one). */
    private HttpReply counted(HttpReply reply) {
        String code = Refused.codeOf(reply);
        if (code != null) {
            stream.refused(Transport.WEBRTC, code);
        }
        return reply;
    }

    /** {@link Stream#handleRtcConfiguration(Request)}. */
    HttpReply rtcConfiguration(Request request) {
        try {
            return new HttpReply(200, stream.authorize(request).rtcConfiguration().toJson());
        } catch (AccessDenied e) {
            return new HttpReply(e.status(), Json.write(Map.of("error", e.getMessage()))).withHeaders(e.headers());
        } catch (RuntimeException e) {
            return new HttpReply(500, Json.write(Map.of("error", Incidents.logged(LOG, "the rtcConfiguration provider"
                    + " failed", "the ICE configuration is not available right now", e))));
        }
    }

    private HttpReply sdpOffer(Caller caller, OfferRequest request) {
        String sdp = request.sdp();
        if (!sdp.startsWith("v=0")) {
            return HttpReply.failed(400, "invalid_sdp", "sdp is not a session description (it must start with v=0)");
        }
        List<Sdp.Media> media = Sdp.media(sdp);
        if (media.isEmpty()) {
            return HttpReply.failed(400, "invalid_sdp", "the offer has no media section; add a track or a data channel");
        }
        if (media.size() > 16) {
            return HttpReply.failed(400, "invalid_sdp", "the offer has " + media.size()
                    + " media sections; at most 16 are accepted");
        }
        if (Sdp.answerRole(sdp) != null) {
            return HttpReply.failed(422, "invalid_sdp", "sdp is an answer (its a=setup is not actpass), not an offer;"
                    + " send the offer your peer connection created");
        }
        int candidates = Sdp.candidateCount(sdp);
        if (candidates > stream.limits().candidatesPerConnection()) {
            return HttpReply.failed(400, "invalid_sdp", "the offer has " + candidates + " ICE candidates; at most "
                    + stream.limits().candidatesPerConnection() + " are accepted");
        }
        for (Sdp.Media m : media) {
            boolean isTrack = m.kind().equals("audio") || m.kind().equals("video");
            if (isTrack && !stream.modality().accepts(m.kind()) && !stream.allowExtraTracks() && !m.direction().equals("inactive")) {
                return HttpReply.failed(400, "unsupported_track_kind", "Unsupported track kind '" + m.kind()
                        + "' for modality '" + stream.modality().wireName() + "'");
            }
            if (!isTrack && !m.kind().equals("application")) {
                return HttpReply.failed(400, "invalid_sdp", "unknown media kind '" + m.kind() + "' in the offer");
            }
        }
        Connection connection;
        try {
            connection = stream.admission().admit(caller, request.webrtcId(), id -> new Connection(stream, id, candidates));
        } catch (Refused refused) {
            return refused.reply();
        } catch (RuntimeException e) {
            return unanswered(request, "its connection could not be set up (the handler's copy() failed?)", e);
        }
        boolean answered = false;
        try {
            Owner owner = connection.owner();
            HttpReply answer = HttpReply.answer(connection.negotiate(sdp), owner.token());
            answered = true;
            return owner.mintedCookie() ? answer.withHeader("Set-Cookie", owner.setCookie(caller.https())) : answer;
        } catch (InvalidSdpException e) {
            // libwebrtc's text quotes the offer's lines and names its parser's steps: for the log only.
            String incident = Incidents.newId();
            LOG.warn("offer {} rejected [error id {}]: {}", request.webrtcId(), incident, e.getMessage());
            return HttpReply.failed(400, "invalid_sdp", Incidents.message("the offer is not a valid WebRTC SDP offer;"
                    + " send the SDP your RTCPeerConnection created", incident));
        } catch (RuntimeException e) { // the engine's other failures too: a timeout, an engine that cannot start
            return unanswered(request, "the engine failed", e);
        } finally {
            if (!answered) {
                connection.close(Session.End.ERROR, "negotiation failed"); // whatever went wrong, the slot is not kept
            }
        }
    }

    /** 500 for a failure that is not the client's: an error id for the client, the stack trace in the log. */
    private static HttpReply unanswered(OfferRequest request, String why, RuntimeException e) {
        return HttpReply.failed(500, "server_error", Incidents.logged(LOG, "offer " + request.webrtcId()
                + " not answered: " + why, "the offer could not be answered", e));
    }

    /** A trickled candidate for a connection of this instance; only its owner may add one. */
    HttpReply localCandidate(Caller caller, OfferRequest request) {
        Session known = registry.get(request.webrtcId());
        if (!(known instanceof Connection connection) || !connection.owner().admits(caller)) {
            return HttpReply.failed("unknown_connection", Map.of());
        }
        if (connection.isClosed()) {
            return HttpReply.failed("connection_closed", Map.of());
        }
        String line = request.candidate().candidate();
        if (line.isEmpty()) {
            return HttpReply.success(); // end-of-candidates
        }
        String bare = line.startsWith("a=") ? line.substring(2) : line;
        if (!bare.startsWith("candidate:") || bare.trim().split("\\s+").length < 8) {
            return HttpReply.failed("invalid_candidate_format", Map.of());
        }
        if (!connection.countCandidate()) {
            return HttpReply.failed(429, "too_many_candidates", "this connection has sent "
                    + stream.limits().candidatesPerConnection() + " ICE candidates, the most accepted");
        }
        try {
            connection.addCandidate(request.candidate().sdpMid(), request.candidate().sdpMLineIndex(), bare);
            return HttpReply.success();
        } catch (RuntimeException e) {
            LOG.debug("{}: candidate refused: {}", request.webrtcId(), e.getMessage());
            return HttpReply.failed("invalid_candidate", Map.of("message", "the candidate could not be applied"));
        }
    }
}
