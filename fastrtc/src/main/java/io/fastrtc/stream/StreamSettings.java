package io.fastrtc.stream;

import io.fastrtc.audio.AudioGenerator;
import io.fastrtc.audio.AudioVideoStreamHandler;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.cluster.Broker;
import io.fastrtc.cluster.InMemoryBroker;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.Inputs;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.ice.IceServer;
import io.fastrtc.ice.RtcConfiguration;
import io.fastrtc.internal.Checks;
import io.fastrtc.security.Authorizer;
import io.fastrtc.security.Cors;
import io.fastrtc.security.Limits;
import io.fastrtc.security.TrustedProxies;
import io.fastrtc.telephone.TelephoneOptions;
import io.fastrtc.ui.Component;
import io.fastrtc.ui.UiOptions;
import io.fastrtc.video.VideoGenerator;
import io.fastrtc.video.VideoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The settings of {@link Stream.Builder}, each checked when set, with a message naming the fix: the
 * builder's methods live here so that {@code Stream.java} stays the stream itself. Package-private;
 * applications see these methods on {@code Stream.Builder}.
 *
 * @param <B> the builder type the setters return
 */
abstract class StreamSettings<B extends StreamSettings<B>> {

    Modality modality = Modality.VIDEO;
    Mode mode = Mode.SEND_RECEIVE;
    VideoHandler videoHandler;
    VideoGenerator videoGenerator;
    StreamHandler audioHandler;
    AudioGenerator audioGenerator;
    final List<Component> inputs = new ArrayList<>();
    final List<Component> outputs = new ArrayList<>();
    int concurrencyLimit = 1;
    Duration timeLimit;
    Duration connectTimeout = Stream.CONNECT_TIMEOUT;
    IceConfig iceConfig = IceConfig.DEFAULT;
    VideoCodec videoCodec = VideoCodec.H264;
    int fps = 30;
    boolean allowExtraTracks;
    Duration hangWarning = Duration.ofSeconds(5);
    FastRtc runtime;
    int globalConcurrencyLimit;
    Capacity capacity = Capacity.UNLIMITED;
    Duration maxFrameAge = Stream.MAX_FRAME_AGE;
    Broker broker;
    Authorizer authorizer;
    Limits limits = Limits.DEFAULT;
    Cors cors = Cors.CLOSED;
    TrustedProxies trustedProxies = TrustedProxies.NONE;
    Supplier<RtcConfiguration> rtcConfiguration = () -> RtcConfiguration.NONE;
    TelephoneOptions telephone = TelephoneOptions.defaults();
    UiOptions uiOptions = UiOptions.defaults();

    /** A video stream whose handler processes each incoming frame (send-receive or send). */
    public B video(VideoHandler handler) {
        this.videoHandler = Objects.requireNonNull(handler, "handler");
        this.modality = Modality.VIDEO;
        return self();
    }

    /** A video stream that generates frames for the client ({@code receive} mode). */
    public B videoGenerator(VideoGenerator generator) {
        this.videoGenerator = Objects.requireNonNull(generator, "generator");
        this.modality = Modality.VIDEO;
        this.mode = Mode.RECEIVE;
        return self();
    }

    /**
     * An audio stream served by a {@link StreamHandler} (for example {@code new ReplyOnPause(...)});
     * each connection works on its own {@code copy()}. Send-receive by default; {@code send} also works.
     */
    public B audio(StreamHandler handler) {
        this.audioHandler = Objects.requireNonNull(handler, "handler");
        this.modality = handler instanceof AudioVideoStreamHandler ? Modality.AUDIO_VIDEO : Modality.AUDIO;
        return self();
    }

    /** An audio stream that generates audio for the client ({@code receive} mode). */
    public B audioGenerator(AudioGenerator generator) {
        this.audioGenerator = Objects.requireNonNull(generator, "generator");
        this.modality = Modality.AUDIO;
        this.mode = Mode.RECEIVE;
        return self();
    }

    /** An audio-video stream (send-receive only, as in FastRTC). */
    public B audioVideo(AudioVideoStreamHandler handler) {
        return audio(handler);
    }

    public B mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /** Components whose values reach the handler as {@link Inputs}, in this order. */
    public B additionalInputs(Component... components) {
        inputs.addAll(Arrays.asList(components));
        return self();
    }

    /** Components the web UI updates from the handler's {@link AdditionalOutputs}. */
    public B additionalOutputs(Component... components) {
        outputs.addAll(Arrays.asList(components));
        return self();
    }

    /**
     * Most connections open at once, counting those still connecting (default 1, as in FastRTC).
     * Further offers get {@code concurrency_limit_reached}.
     */
    public B concurrencyLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("concurrencyLimit must be at least 1; got " + limit);
        }
        this.concurrencyLimit = limit;
        return self();
    }

    /**
     * Most connections open at once across all instances sharing the stream's {@link #broker}
     * (none by default); each instance still holds at most {@link #concurrencyLimit}. Further offers
     * get {@code concurrency_limit_reached} with this limit.
     */
    public B globalConcurrencyLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("globalConcurrencyLimit must be at least 1; got " + limit);
        }
        this.globalConcurrencyLimit = limit;
        return self();
    }

    /**
     * How many streams this machine carries, across every stream of the process: a number
     * ({@link Capacity#fixed}) or what measured CPU allows ({@link Capacity#cpu}). A new
     * connection beyond it, of any transport, gets {@code concurrency_limit_reached} (its
     * {@code limit} the sessions open in the process) instead of slowing every stream down.
     * Default {@link Capacity#UNLIMITED}: only the concurrency limits apply, as in FastRTC.
     */
    public B capacity(Capacity capacity) {
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        return self();
    }

    /** Frames that waited longer than this for the handler are dropped (default {@link Stream#MAX_FRAME_AGE}). */
    B maxFrameAge(Duration age) {
        this.maxFrameAge = Objects.requireNonNull(age, "age");
        return self();
    }

    /**
     * How the instances of this stream find each other's connections (default: this process only,
     * {@link InMemoryBroker}). The stream starts the broker and closes it when it closes; give each
     * stream its own.
     */
    public B broker(Broker broker) {
        this.broker = Objects.requireNonNull(broker, "broker");
        return self();
    }

    /** How long a connection may stay open once connected; unlimited by default. */
    public B timeLimit(Duration limit) {
        this.timeLimit = limit == null ? null : Checks.positive("timeLimit", limit, Duration.ofMinutes(10));
        return self();
    }

    /** How long after its offer a connection may take to connect before it is dropped (default 30 s). */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = Checks.positive("connectTimeout", timeout, Stream.CONNECT_TIMEOUT);
        return self();
    }

    /** ICE configuration of the server's peer connections (servers, relay policy, port range). */
    public B iceConfig(IceConfig config) {
        this.iceConfig = Objects.requireNonNull(config, "config");
        return self();
    }

    public B iceServers(IceServer... servers) {
        this.iceConfig = iceConfig.withIceServers(List.of(servers));
        return self();
    }

    /** Media ports, e.g. to match a firewall rule. */
    public B portRange(int min, int max) {
        this.iceConfig = iceConfig.withPortRange(min, max);
        return self();
    }

    /** The video codec to prefer (default H264). */
    public B videoCodec(VideoCodec codec) {
        this.videoCodec = Objects.requireNonNull(codec, "codec");
        return self();
    }

    /** Frame rate of a {@link VideoGenerator} (default 30). */
    public B fps(int fps) {
        if (fps < 1 || fps > 120) {
            throw new IllegalArgumentException("fps must be between 1 and 120; got " + fps);
        }
        this.fps = fps;
        return self();
    }

    /** Ignore offered tracks of another kind instead of refusing the offer. */
    public B allowExtraTracks(boolean allow) {
        this.allowExtraTracks = allow;
        return self();
    }

    /**
     * After how long a handler call that has not returned is reported to the client with a
     * {@code warning} (default 5 s). Watched: every call that takes or gives media (a video
     * handler, {@code receive}, {@code emit}, {@code videoReceive}, {@code videoEmit}, a
     * generator's next item); not {@code startUp} (long-running by design), {@code copy},
     * {@code shutdown}, nor an {@code AsyncStreamHandler}'s emit, which waits up to 60 s for output.
     */
    public B hangWarning(Duration after) {
        this.hangWarning = Checks.positive("hangWarning", after, Duration.ofSeconds(5));
        return self();
    }

    /**
     * Decides from each request who may use the stream (see {@link Authorizer}); the principal
     * it returns owns the connections it opens. Without one, anyone who reaches the server may
     * connect, and a connection belongs to the browser (client cookie) that opened it.
     */
    public B authorizer(Authorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        return self();
    }

    /** Limits on what clients can make the server do ({@link Limits#DEFAULT} unless set). */
    public B limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    /** Other web origins whose pages may call the stream's routes (closed by default). */
    public B cors(Cors cors) {
        this.cors = Objects.requireNonNull(cors, "cors");
        return self();
    }

    /**
     * Reverse proxies whose {@code X-Forwarded-For} names the client (and {@code X-Forwarded-Proto}
     * its scheme, {@code X-Forwarded-Host} the host Twilio's signatures are checked against and
     * a WebSocket's {@code Origin} may match), e.g. {@code trustedProxies("127.0.0.1", "10.0.0.0/8")}.
     * None by default: from anyone else these headers are ignored.
     */
    public B trustedProxies(String... addressesOrNetworks) {
        this.trustedProxies = TrustedProxies.of(addressesOrNetworks);
        return self();
    }

    /**
     * The runtime the stream runs on: its WebRTC engine, threads and the count of sessions
     * against {@link FastRtc#maxTotalConnections()}, shared with the runtime's other streams.
     * Default {@link FastRtc#shared()}.
     */
    public B runtime(FastRtc runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        return self();
    }

    /**
     * The ICE configuration clients use (FastRTC's {@code rtc_configuration}), served to front
     * ends as {@code GET {path}/webrtc/rtc-configuration}. For the server's own side use
     * {@link #iceConfig}.
     */
    public B rtcConfiguration(RtcConfiguration config) {
        Objects.requireNonNull(config, "config");
        this.rtcConfiguration = () -> config;
        return self();
    }

    /**
     * A provider called for every client that asks, e.g. for short-lived TURN credentials:
     * {@code .rtcConfiguration(CloudflareTurn.fromEnv()::fetch)}. What it throws reaches the
     * client as HTTP 500 {@code {"error": message}}.
     */
    public B rtcConfiguration(Supplier<RtcConfiguration> provider) {
        this.rtcConfiguration = Objects.requireNonNull(provider, "provider");
        return self();
    }

    /** Checks that the settings make one stream, with a message naming the fix. */
    void check() {
        int handlers = (videoHandler != null ? 1 : 0) + (videoGenerator != null ? 1 : 0)
                + (audioHandler != null ? 1 : 0) + (audioGenerator != null ? 1 : 0);
        if (handlers > 1) {
            throw new IllegalStateException("a stream has one handler; choose one of video(...), videoGenerator(...),"
                    + " audio(...), audioGenerator(...)");
        }
        if (modality == Modality.AUDIO_VIDEO && mode != Mode.SEND_RECEIVE) {
            throw new IllegalStateException("audio-video streams are send-receive only; got " + mode.wireName());
        }
        if (modality != Modality.VIDEO) {
            if (mode == Mode.RECEIVE && audioGenerator == null) {
                throw new IllegalStateException("a receive-mode audio stream needs audioGenerator(...)");
            }
            if (mode != Mode.RECEIVE && audioHandler == null) {
                throw new IllegalStateException("a " + mode.wireName() + " audio stream needs audio(handler) with a"
                        + " StreamHandler such as new ReplyOnPause(...); for receive mode use audioGenerator(...)");
            }
            return;
        }
        if (mode == Mode.RECEIVE && videoGenerator == null) {
            throw new IllegalStateException("a receive-mode video stream needs videoGenerator(...)");
        }
        if (mode != Mode.RECEIVE && videoHandler == null) {
            throw new IllegalStateException("a " + mode.wireName()
                    + " video stream needs video((frame, inputs) -> ...); for receive mode use videoGenerator(...)");
        }
        if (mode != Mode.RECEIVE && videoGenerator != null) {
            throw new IllegalStateException("videoGenerator(...) is for receive mode; use video(...) for "
                    + mode.wireName());
        }
    }

    /**
     * How phone calls are answered: Twilio auth token (to refuse forged webhooks), public URL,
     * greeting, DTMF listener. FastRTC's behaviour by default.
     */
    public B telephone(TelephoneOptions options) {
        this.telephone = Objects.requireNonNull(options, "options");
        return self();
    }

    /** Options of the built-in web UI ({@link Stream#ui()}): title, icon, colours, when inputs are sent... */
    public B ui(UiOptions options) {
        this.uiOptions = Objects.requireNonNull(options, "options");
        return self();
    }

    abstract B self();
}
