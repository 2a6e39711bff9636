package io.fastrtc.engine;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.Map;

/** What {@link PeerSession} reads from libwebrtc's stats reports; each runs on its signaling thread, so stays short. */
final class PeerStats {

    private PeerStats() {
    }

    static String videoQualityLimitation(RTCStatsReport report) {
        for (RTCStats stats : report.getStats().values()) {
            Map<String, Object> attributes = stats.getAttributes();
            if (stats.getType() == RTCStatsType.OUTBOUND_RTP && "video".equals(attributes.get("kind"))) {
                Object reason = attributes.get("qualityLimitationReason");
                return reason == null ? null : reason.toString();
            }
        }
        return null;
    }

    static AudioReception audioReception(RTCStatsReport report) {
        for (RTCStats stats : report.getStats().values()) {
            Map<String, Object> a = stats.getAttributes();
            if (stats.getType() == RTCStatsType.INBOUND_RTP && "audio".equals(a.get("kind"))) {
                return new AudioReception(number(a, "totalSamplesReceived"), number(a, "concealedSamples"),
                        number(a, "silentConcealedSamples"), number(a, "concealmentEvents"),
                        number(a, "insertedSamplesForDeceleration"), number(a, "removedSamplesForAcceleration"),
                        number(a, "jitterBufferDelay"), number(a, "jitterBufferEmittedCount"),
                        number(a, "jitterBufferTargetDelay"), number(a, "jitterBufferMinimumDelay"),
                        number(a, "packetsReceived"), number(a, "jitter"));
            }
        }
        return null;
    }

    private static double number(Map<String, Object> attributes, String name) {
        return attributes.get(name) instanceof Number n ? n.doubleValue() : 0;
    }

    static String selectedCandidateTypes(RTCStatsReport report) {
        Map<String, RTCStats> stats = report.getStats();
        for (RTCStats transport : stats.values()) {
            if (transport.getType() != RTCStatsType.TRANSPORT) {
                continue;
            }
            RTCStats pair = stats.get(String.valueOf(transport.getAttributes().get("selectedCandidatePairId")));
            if (pair != null) {
                RTCStats local = stats.get(String.valueOf(pair.getAttributes().get("localCandidateId")));
                RTCStats remote = stats.get(String.valueOf(pair.getAttributes().get("remoteCandidateId")));
                return candidateType(local) + "/" + candidateType(remote);
            }
        }
        return null;
    }

    private static String candidateType(RTCStats candidate) {
        return candidate == null ? "unknown" : String.valueOf(candidate.getAttributes().get("candidateType"));
    }
}
