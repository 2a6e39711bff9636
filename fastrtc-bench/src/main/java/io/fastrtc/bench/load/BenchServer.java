package io.fastrtc.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.engine.Sdp;
import io.fastrtc.handler.Emit;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.javalin.FastRtcPlugin;
import io.fastrtc.security.Limits;
import io.fastrtc.stream.Capacity;
import io.fastrtc.stream.Stream;
import io.fastrtc.stream.VideoCodec;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Our side of the load benchmark, one kind per JVM: {@code flip} (a video Stream whose handler flips
 * every frame, send-receive), {@code echo} (an audio Stream echoing what it hears) or
 * {@code voice} ({@link #voiceAgent()}, served over WebRTC and Twilio Media Streams) or
 * {@code passthrough} (no Stream and no Java frame callback: libwebrtc decodes the caller's video and
 * re-encodes it back on the same connection, {@link PeerSession#loopBackVideo()}).
 *
 * <pre>
 * BenchServer flip|echo|passthrough VP8|H264 [admission limit, 0 = none]
 * </pre>
 *
 * Serves FastRTC's {@code POST /webrtc/offer} on 127.0.0.1 (a free port, printed after
 * {@value #READY}) and {@code POST /bench/stop}. The security rate limit is lifted (the benchmark
 * opens many connections from one address).
 */
public final class BenchServer {

    static final String READY = "BENCH-SERVER-READY port=";
    /** Where the {@code mixed} server mounts its audio echo stream. */
    static final String AUDIO_PATH = "/audio";
    /** Far above anything the machine can carry: without an admission limit, load decides. */
    private static final int NO_LIMIT = 10_000;

    private BenchServer() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: BenchServer flip|echo|voice|passthrough|mixed VP8|H264 [capacity]");
        }
        String kind = args[0];
        VideoCodec codec = VideoCodec.valueOf(args[1]);
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<FastRtcPlugin> plugins = new ArrayList<>();
        switch (kind) {
            case "flip" -> plugins.add(new FastRtcPlugin(stream(Stream.builder().video((frame, in) -> frame.flipVertical())
                    .videoCodec(codec), limit)));
            case "echo" -> plugins.add(new FastRtcPlugin(stream(Stream.builder().audio(new Echo()), limit)));
            case "mixed" -> { // video at the root, an audio echo beside it in the same process
                plugins.add(new FastRtcPlugin(stream(Stream.builder().video((frame, in) -> frame.flipVertical())
                        .videoCodec(codec), limit)));
                plugins.add(new FastRtcPlugin(stream(Stream.builder().audio(new Echo()), 0), p -> p.path = AUDIO_PATH));
            }
            case "voice" -> plugins.add(new FastRtcPlugin(stream(Stream.builder().audio(voiceAgent()), limit)));
            case "passthrough" -> {
            }
            default -> throw new IllegalArgumentException("unknown server kind " + kind
                    + "; use flip, echo, voice, mixed or passthrough");
        }
        Javalin app = Javalin.create(cfg -> plugins.forEach(cfg::registerPlugin));
        if (kind.equals("passthrough")) {
            passThrough(app, codec);
        }
        app.unsafe.routes.post("/bench/stop", ctx -> {
            ctx.result("stopping");
            new Thread(() -> System.exit(0), "bench-server-stop").start();
        });
        app.start("127.0.0.1", 0);
        System.out.println(READY + app.port());
        System.out.flush();
    }

    private static Stream stream(Stream.Builder builder, int limit) {
        builder.limits(Limits.DEFAULT.withOffersPerMinute(100_000));
        admission(builder, limit);
        return builder.build();
    }

    /** The {@code capacity} argument that asks for {@code Capacity.cpu(CPU_SHARE)}. */
    static final int CPU_CAPACITY = -1;
    static final double CPU_SHARE = 0.85;

    /**
     * The overload run's admission control: {@code capacity > 0} is {@code Capacity.fixed(capacity)},
     * {@link #CPU_CAPACITY} is {@code Capacity.cpu(CPU_SHARE)}, 0 none (load decides).
     */
    private static void admission(Stream.Builder builder, int capacity) {
        builder.concurrencyLimit(NO_LIMIT);
        if (capacity > 0) {
            builder.capacity(Capacity.fixed(capacity));
        } else if (capacity == CPU_CAPACITY) {
            builder.capacity(Capacity.cpu(CPU_SHARE));
        }
    }

    /** FastRTC's offer route without a Stream: every received video track is looped back natively. */
    private static void passThrough(Javalin app, VideoCodec codec) {
        ObjectMapper json = new ObjectMapper();
        RtcEngine engine = RtcEngine.create(); // lives as long as the process
        app.unsafe.routes.post("/webrtc/offer", ctx -> {
            JsonNode offer = json.readTree(ctx.body());
            String id = offer.path("webrtc_id").asText("passthrough");
            PeerSession[] self = new PeerSession[1];
            PeerSession session = engine.newSession(id, IceConfig.DEFAULT, new PeerSession.Listener() {
                @Override
                public void onStateChange(PeerState state) {
                    if (state == PeerState.FAILED || state == PeerState.CLOSED) {
                        self[0].close();
                    }
                }
            });
            self[0] = session;
            session.setRemoteDescription(true, Sdp.preferVideoCodec(offer.path("sdp").asText(), codec.name()));
            session.loopBackVideo();
            String answer = session.createAnswer();
            ctx.contentType("application/json").result(json.writeValueAsString(Map.of("sdp", answer, "type", "answer")));
        });
    }

    /** The reply of the {@code voice} server: a pre-generated clip, so no model's cost is measured. */
    static final int REPLY_MS = 1000;

    /**
     * A voice agent minus the model, for WebRTC and phone calls alike: ReplyOnPause with its default
     * streaming end of turn (libwebrtc's VAD on every frame, 16 kHz input as speech-to-text wants),
     * answering each turn with a {@value #REPLY_MS} ms 330 Hz tone at 24 kHz that it encodes and paces.
     * The environment variable {@code BENCH_VOICE_INPUT_RATE} sets another input rate (8000: a phone
     * agent whose speech-to-text takes the call's 8 kHz, so its input is never resampled).
     */
    static ReplyOnPause voiceAgent() {
        float[] s = new float[24 * REPLY_MS];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.4 * Math.sin(2 * Math.PI * 330 * i / 24000.0));
        }
        AudioFrame reply = AudioFrame.ofFloat(24000, 1, s);
        int rate = Integer.parseInt(System.getenv().getOrDefault("BENCH_VOICE_INPUT_RATE", "16000"));
        return ReplyOnPause.builder(audio -> Reply.of(reply)).inputSampleRate(rate).build();
    }

    /** Plays back what it hears, at the rate it hears it. */
    static final class Echo extends StreamHandler {
        private final ConcurrentLinkedQueue<AudioFrame> queue = new ConcurrentLinkedQueue<>();

        Echo() {
            super(48000, Layout.MONO, 48000);
        }

        @Override
        public void receive(AudioFrame frame) {
            queue.add(frame);
        }

        @Override
        public Emit emit() {
            return queue.poll();
        }

        @Override
        public StreamHandler copy() {
            return new Echo();
        }
    }
}
