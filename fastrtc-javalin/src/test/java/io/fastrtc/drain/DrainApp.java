package io.fastrtc.drain;

import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.StreamServer;

/**
 * A tiny Javalin app whose runtime drains on SIGTERM, run as its own JVM by {@link ShutdownDrainTest}.
 * args: the drain deadline in seconds (given as the {@code fastrtc.drainSeconds} property, as
 * {@code FASTRTC_DRAIN_SECONDS} would). Prints its port, then runs until it is signalled.
 */
public final class DrainApp {

    private DrainApp() {
    }

    public static void main(String[] args) {
        System.setProperty("fastrtc.drainSeconds", args[0]);
        FastRtc runtime = FastRtc.builder().drainOnShutdown(true).build();
        Stream stream = Stream.builder().runtime(runtime).audio(new EchoHandler()).concurrencyLimit(4).build();
        StreamServer server = StreamServer.start(stream, p -> p.healthPath = "/health");
        System.out.println("listening " + server.app().port());
        System.out.flush();
    }
}
