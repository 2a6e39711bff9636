package io.fastrtc.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.javalin.FastRtcPlugin;
import io.javalin.Javalin;

/**
 * The server half of the leak soak, run in its own JVM so that only server allocations are
 * measured: a video flip stream (concurrency limit 1, so a slot that is never freed shows as a
 * refused offer) mounted on Javalin, plus {@code GET /soak/stats} giving a {@link ServerSample}
 * taken after a full GC, and {@code POST /soak/stop}. Prints {@value #READY} and the port on stdout once listening.
 */
public final class SoakServer {

    static final String READY = "SOAK-SERVER-READY port=";
    static final String OFFER_PATH = "/api/webrtc/offer";
    static final String STATS_PATH = "/soak/stats";
    static final String STOP_PATH = "/soak/stop";

    private SoakServer() {
    }

    public static void main(String[] args) {
        ObjectMapper json = new ObjectMapper();
        FastRtc rtc = FastRtc.create();
        Stream stream = Stream.builder()
                .runtime(rtc)
                .video((frame, in) -> frame.flipVertical())
                .concurrencyLimit(1)
                // One client reconnecting for hundreds of cycles: far beyond the default rate limit.
                .limits(Limits.DEFAULT.withOffersPerMinute(100_000))
                .build();
        Javalin app = Javalin.create(cfg -> cfg.registerPlugin(new FastRtcPlugin(stream, p -> p.path = "/api")));
        app.unsafe.routes.get(STATS_PATH, ctx -> {
            int connections = stream.connectionIds().size();
            int sessions = rtc.openPeerConnections();
            // Only when idle: a GC in the middle of a call would disturb the media threads for nothing.
            if (connections == 0 && sessions == 0) {
                System.gc();
            }
            ctx.contentType("application/json").result(json.writeValueAsString(ServerSample.take(connections, sessions)));
        });
        app.unsafe.routes.post(STOP_PATH, ctx -> {
            ctx.result("stopping");
            // After the reply; the process ends with its native threads, nothing to flush.
            new Thread(() -> System.exit(0), "soak-server-stop").start();
        });
        app.start("127.0.0.1", 0);
        System.out.println(READY + app.port());
        System.out.flush();
    }
}
