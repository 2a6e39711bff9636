package io.fastrtc.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.engine.Sdp;
import io.fastrtc.testing.Signaling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator, a JVM of its own next to the server (same network namespace): opens
 * {@code streams} client peers one after the other, lets them run, then measures for a window and
 * prints one {@value #RESULT} line of JSON. Prints {@value #MEASURE_START} and {@value #MEASURE_END}
 * around the window so the orchestrator can sample the server's CPU over exactly that time.
 *
 * <pre>
 * LoadClient URL video|audio STREAMS WARMUP_S MEASURE_S CONNECT_TIMEOUT_S VP8|H264|-  warm|cold [SPACING_S [AUDIO_URL]]
 * </pre>
 *
 * {@code AUDIO_URL}: after the video streams, one audio peer offers there (the {@code mixed} server's echo)
 * and is measured in the same window; its figures are the result's {@code audioProbe}.
 *
 * {@code SPACING_S} (default 0) is a pause between one client's connection and the next one's offer, as
 * users arrive over time.
 *
 * The codec, unless {@code -}, is put first in the offer (the answerer picks from the offer's order).
 * {@code warm} first opens and closes one connection that is not measured, so that the figures do
 * not include the server's one-time start-up (its engine is created on the first offer); its setup
 * time is reported apart as {@code coldSetupMs}. The overload run is {@code cold}: a closed
 * connection holds its slot until the server notices.
 */
public final class LoadClient {

    static final String MEASURE_START = "MEASURE-START";
    static final String MEASURE_END = "MEASURE-END";
    static final String RESULT = "RESULT ";

    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        boolean video = args[1].equals("video");
        int streams = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        double window = Double.parseDouble(args[4]);
        long connectTimeout = (long) (Double.parseDouble(args[5]) * 1000);
        String codec = args[6].equals("-") ? null : args[6];
        boolean warm = args[7].equals("warm");
        long spacing = args.length > 8 ? (long) (Double.parseDouble(args[8]) * 1000) : 0;
        String audioUrl = args.length > 9 ? args[9] : null;
        Map<String, Object> out = new LinkedHashMap<>();
        List<Double> setupMs = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<LoadPeer> admitted = new ArrayList<>();
        try (RtcEngine engine = RtcEngine.create()) {
            if (warm) {
                try (LoadPeer peer = new LoadPeer(engine, "warm-up", video)) {
                    Object setup = connect(peer, url, codec, connectTimeout, out);
                    out.put("coldSetupMs", setup instanceof Double ms ? ms : null);
                    Thread.sleep(1000);
                }
            }
            List<LoadPeer> peers = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                if (i > 0) {
                    Thread.sleep(spacing);
                }
                LoadPeer peer = new LoadPeer(engine, "load-" + i, video);
                peers.add(peer);
                Object setup = connect(peer, url, codec, connectTimeout, out);
                if (setup instanceof Double ms) {
                    setupMs.add(ms);
                    admitted.add(peer);
                } else {
                    peer.close();
                    (setup instanceof Refusal r ? refused : failed).add(setup.toString());
                }
            }
            LoadPeer probe = null;
            if (audioUrl != null) {
                probe = new LoadPeer(engine, "audio-probe", false);
                peers.add(probe);
                Object setup = connect(probe, audioUrl, null, connectTimeout, out);
                if (!(setup instanceof Double)) {
                    failed.add("audio probe: " + setup);
                    probe = null;
                }
            }
            System.out.println("CONNECTED " + admitted.size() + "/" + streams);
            Thread.sleep((long) (warmup * 1000));
            System.out.println(MEASURE_START);
            System.out.flush();
            long started = System.nanoTime();
            List<LoadPeer> measured = new ArrayList<>(admitted);
            if (probe != null) {
                measured.add(probe);
            }
            measured.forEach(p -> p.measure(true));
            Thread.sleep((long) (window * 1000));
            measured.forEach(p -> p.measure(false));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.println(MEASURE_END);
            System.out.flush();
            out.put("streams", streams);
            out.put("windowSeconds", seconds);
            out.put("setupMs", setupMs);
            out.put("refused", refused);
            out.put("failed", failed);
            out.put("peers", admitted.stream().map(p -> p.result(seconds)).toList());
            if (probe != null) {
                out.put("audioProbe", probe.result(seconds));
            }
            System.out.println(RESULT + new ObjectMapper().writeValueAsString(out));
            System.out.flush();
            peers.forEach(LoadPeer::close);
        }
        System.exit(0);
    }

    /** Why the server answered no: FastRTC's error code, e.g. {@code concurrency_limit_reached}. */
    private record Refusal(String error) {
        @Override
        public String toString() {
            return error;
        }
    }

    /**
     * Offers, applies the answer and waits for the connection: the setup time in ms (offer sent to
     * connected), a {@link Refusal}, or a description of the failure.
     */
    private static Object connect(LoadPeer peer, String url, String codec, long timeoutMillis, Map<String, Object> out) {
        try {
            String sdp = peer.offer();
            if (codec != null) {
                sdp = Sdp.preferVideoCodec(sdp, codec);
            }
            long offered = System.nanoTime();
            Signaling.Reply reply = Signaling.offer(url, peer.name() + "-" + ProcessHandle.current().pid(), sdp);
            if (!reply.isAnswer()) {
                return new Refusal(reply.error() != null ? reply.error() : reply.toString());
            }
            String answer = reply.json().get("sdp").asText();
            out.putIfAbsent("answerVideoCodec", firstCodec(answer));
            peer.accept(answer);
            Long at = peer.awaitConnected(timeoutMillis);
            if (at == null) {
                return peer.name() + ": not connected within " + timeoutMillis + " ms";
            }
            return (at - offered) / 1e6;
        } catch (Exception e) {
            return peer.name() + ": " + e;
        }
    }

    /** The first payload type's codec on the answer's m=video line (what both sides send). */
    private static String firstCodec(String sdp) {
        String[] lines = sdp.split("\r?\n");
        String pt = null;
        for (String line : lines) {
            if (line.startsWith("m=video")) {
                String[] parts = line.split(" ");
                pt = parts.length > 3 ? parts[3] : null;
            } else if (pt != null && line.startsWith("a=rtpmap:" + pt + " ")) {
                return line.substring(line.indexOf(' ') + 1).split("/")[0];
            }
        }
        return null;
    }
}
