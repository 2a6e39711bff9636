package io.fastrtc.redis;

import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.stream.FastRtc;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.ChildJvm;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.ui.Slider;
import java.io.IOException;
import java.time.Duration;

/**
 * One instance of the test stream (a video flip with a slider, its value echoed as an output) on a
 * Redis broker. Run as its own JVM by {@link #launch}, so a test can kill it as a crash would.
 */
public final class Instance {

    private Instance() {
    }

    /** The stream every instance of the tests runs. */
    public static Stream stream(RedisBroker broker, int globalLimit) {
        return stream(broker, globalLimit, FastRtc.shared());
    }

    /** The same on its own runtime, so that two instances can live in one JVM (and one drain alone). */
    public static Stream stream(RedisBroker broker, int globalLimit, FastRtc runtime) {
        return Stream.builder()
                .runtime(runtime)
                .video((frame, inputs) -> frame.flipVertical().with(AdditionalOutputs.of(inputs.getDouble(0))))
                .additionalInputs(Slider.of("Threshold", 0, 1, 0.3))
                .concurrencyLimit(4)
                .globalConcurrencyLimit(globalLimit)
                .broker(broker)
                .build();
    }

    /** args: Redis URI, instance id, ownership TTL in ms, global limit. Prints its port, then runs until stdin closes. */
    public static void main(String[] args) throws IOException {
        RedisBroker broker = RedisBroker.builder(args[0]).instanceId(args[1])
                .ownershipTtl(Duration.ofMillis(Long.parseLong(args[2]))).build();
        StreamServer server = StreamServer.start(stream(broker, Integer.parseInt(args[3])));
        System.out.println("listening " + server.app().port());
        System.out.flush();
        System.in.transferTo(java.io.OutputStream.nullOutputStream()); // the parent went away: stop
        server.close();
        System.exit(0);
    }

    /** A running instance in a child JVM (the same java and classpath as this one, in the same network namespace). */
    public record Child(Process process, int port) {
        public String baseUrl() {
            return "http://127.0.0.1:" + port;
        }
    }

    public static Child launch(String redisUri, String instanceId, Duration ttl, int globalLimit) throws IOException {
        ChildJvm.Started started = ChildJvm.start(Instance.class, "256m", "listening ", Duration.ofSeconds(60),
                redisUri, instanceId, Long.toString(ttl.toMillis()), Integer.toString(globalLimit));
        return new Child(started.process(), Integer.parseInt(started.readyLine().substring("listening ".length()).trim()));
    }
}
