package io.fastrtc.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.bench.load.rtp.OpusClip;
import io.fastrtc.bench.load.rtp.RtpCall;
import io.fastrtc.bench.load.rtp.RtpCallers;
import io.fastrtc.engine.AudioInput;
import io.fastrtc.engine.AudioOutput;
import io.fastrtc.engine.PeerSession;
import io.fastrtc.engine.PeerState;
import io.fastrtc.engine.RtcEngine;
import io.fastrtc.ice.IceConfig;
import io.fastrtc.internal.Pacer;
import io.fastrtc.testing.Signaling;
import io.fastrtc.testing.Speech;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The voice-at-scale load generator: many simulated callers in one JVM, kept light so the server,
 * not this process, is what runs out of CPU. Each caller says a short utterance (espeak-ng, made once
 * and shared), waits for the reply, listens until it ends, pauses, and says it again, for a fixed time.
 * One pacing thread drives every caller (no thread per caller). WebRTC callers are either light
 * callers ({@code rtp}, the default: {@link RtpCallers}, the WebRTC wire protocol spoken from Java on
 * one UDP socket, sending pre-encoded Opus and decoding what comes back) or libwebrtc peers ({@code
 * peer}: one engine; {@link RtcEngine} starts its audio module in the order that keeps callers' audio
 * apart), which cost about as much CPU as the server. Phone callers share one WebSocket client and
 * send pre-encoded µ-law.
 *
 * <pre>
 * ScaleClient webrtc|phone URL SESSIONS WARMUP_S MEASURE_S [rtp|peer]
 * </pre>
 *
 * Prints {@value LoadClient#MEASURE_START} and {@value LoadClient#MEASURE_END} around the measuring
 * window and one {@value LoadClient#RESULT} line: turns whose speech ended in the window, how many were
 * answered within {@value #ANSWER_TIMEOUT_MS} ms, their latencies (end of speech sent to the first
 * loud reply audio received, to within one tick), and stray loud audio (heard while no reply was due:
 * another caller's audio, or a reply to a turn split in two).
 */
public final class ScaleClient {

    static final String UTTERANCE = "What is the weather like today?";
    static final int ANSWER_TIMEOUT_MS = 5000;
    /** Loud enough to be the reply tone (µ-law and Opus noise stay far below). */
    static final double LOUD = 1500;
    private static final int QUIET_ENDS_REPLY_MS = 300;

    private ScaleClient() {
    }

    public static void main(String[] args) throws Exception {
        boolean phone = args[0].equals("phone");
        String url = args[1];
        int sessions = Integer.parseInt(args[2]);
        long warmupNanos = (long) (Double.parseDouble(args[3]) * 1e9);
        long measureNanos = (long) (Double.parseDouble(args[4]) * 1e9);
        boolean light = !phone && (args.length < 6 || args[5].equals("rtp"));
        AudioFrame utterance = Speech.say(UTTERANCE);
        Map<String, Object> out = new LinkedHashMap<>();
        List<Caller> callers = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        RtcEngine engine = phone || light ? null : RtcEngine.create();
        RtpCallers rtp = light ? new RtpCallers(OpusClip.encode(utterance.resample(48000).toPcm16()), LOUD, true) : null;
        PhoneCaller.Line line = phone ? new PhoneCaller.Line(utterance) : null;
        ExecutorService connecting = Executors.newFixedThreadPool(phone || light ? 8 : 4);
        List<Future<Caller>> opened = new ArrayList<>();
        String run = Long.toString(ProcessHandle.current().pid());
        long connectStart = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            String id = "scale-" + run + "-" + i;
            Random random = new Random(i);
            int ssrc = 0x10000 + i;
            opened.add(connecting.submit(() -> phone ? new PhoneCaller(line, url, id, random)
                    : light ? new LightCaller(rtp.call(url, id, ssrc), random)
                    : new WebRtcCaller(engine, url, id, utterance, random)));
        }
        for (Future<Caller> f : opened) {
            try {
                callers.add(f.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                failed.add(String.valueOf(e.getCause() != null ? e.getCause() : e));
            }
        }
        connecting.shutdown();
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        System.out.println("CONNECTED " + callers.size() + "/" + sessions + " in " + connectSeconds + " s");
        long start = System.nanoTime();
        long windowStart = start + warmupNanos;
        long windowEnd = windowStart + measureNanos;
        callers.forEach(c -> c.begin(start, windowStart, windowEnd));
        boolean[] announced = new boolean[2];
        Pacer pacer = new Pacer(TimeUnit.MILLISECONDS.toNanos(phone ? 20 : 10), TimeUnit.SECONDS.toNanos(1));
        long lastTick = start;
        long maxGap = 0; // the pacing thread's longest pause in the window: a generator falling behind shows here
        while (true) {
            long now = System.nanoTime();
            if (now >= windowStart && now < windowEnd) {
                maxGap = Math.max(maxGap, now - lastTick);
            }
            lastTick = now;
            if (!announced[0] && now >= windowStart) {
                announced[0] = true;
                if (line != null) {
                    line.sockets.takeMaxReadGapNanos(); // from here on
                }
                System.out.println(LoadClient.MEASURE_START);
                System.out.flush();
            }
            boolean busy = false;
            for (Caller c : callers) {
                busy |= c.tick(now);
            }
            if (now >= windowEnd && !announced[1]) {
                announced[1] = true;
                System.out.println(LoadClient.MEASURE_END);
                System.out.flush();
            }
            if (now >= windowEnd && !busy) {
                break;
            }
            pacer.await();
        }
        List<Double> latencies = new ArrayList<>();
        int expected = 0;
        int answered = 0;
        long strayMs = 0;
        long straySpeakingMs = 0;
        for (Caller c : callers) {
            straySpeakingMs += c.strayWhileSpeakingMs;
            latencies.addAll(c.latencies);
            expected += c.expected;
            answered += c.latencies.size();
            strayMs += c.strayMs;
        }
        out.put("sessions", sessions);
        out.put("connected", callers.size());
        out.put("failed", failed);
        out.put("connectSeconds", connectSeconds);
        out.put("utteranceMs", utterance.durationMillis());
        out.put("turnsExpected", expected);
        out.put("turnsAnswered", answered);
        out.put("latencyMs", latencies);
        out.put("strayLoudMs", strayMs);
        out.put("strayLoudWhileSpeakingMs", straySpeakingMs);
        out.put("dropped", callers.stream().filter(Caller::dropped).count());
        out.put("generatorSocketDrops", rtp == null ? 0 : rtp.socketDrops());
        out.put("generatorMaxTickGapMs", maxGap / 1e6);
        out.put("generatorMaxReadGapMs", line == null ? 0 : line.sockets.takeMaxReadGapNanos() / 1e6);
        System.out.println(LoadClient.RESULT + new ObjectMapper().writeValueAsString(out));
        System.out.flush();
        callers.forEach(Caller::close);
        System.exit(0);
    }

    /** One simulated caller's turn-taking, driven by the pacing thread. */
    abstract static class Caller {
        enum State { PAUSE, SPEAKING, WAITING, LISTENING, DONE }

        private final Random random;
        final List<Double> latencies = new ArrayList<>();
        int expected;
        long strayMs;
        /** The part of {@link #strayMs} heard while speaking (a reply to half a turn) rather than pausing (a late reply). */
        long strayWhileSpeakingMs;
        private State state = State.PAUSE;
        private long until;
        private long speechEnd;
        private long lastLoud;
        private boolean counted;
        private long windowStart;
        private long windowEnd;

        Caller(Random random) {
            this.random = random;
        }

        void begin(long now, long windowStart, long windowEnd) {
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            until = now + TimeUnit.MILLISECONDS.toNanos(random.nextInt(2000)); // callers do not talk in step
        }

        /** One tick: sends the microphone's next audio, reads what came; false once this caller is done. */
        final boolean tick(long now) {
            boolean loud = heardLoud();
            switch (state) {
                case PAUSE -> {
                    stray(loud);
                    if (now >= until) {
                        if (now >= windowEnd) {
                            state = State.DONE;
                        } else {
                            state = State.SPEAKING;
                            rewind();
                        }
                    }
                }
                case SPEAKING -> {
                    stray(loud);
                    if (!speak()) {
                        speechEnd = System.nanoTime();
                        counted = speechEnd >= windowStart && speechEnd < windowEnd;
                        expected += counted ? 1 : 0;
                        state = State.WAITING;
                    }
                    return true;
                }
                case WAITING -> {
                    if (loud) {
                        if (counted) {
                            latencies.add((now - speechEnd) / 1e6);
                        }
                        lastLoud = now;
                        state = State.LISTENING;
                    } else if (now - speechEnd > TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS)) {
                        pause(now);
                    }
                }
                case LISTENING -> {
                    if (loud) {
                        lastLoud = now;
                    } else if (now - lastLoud > TimeUnit.MILLISECONDS.toNanos(QUIET_ENDS_REPLY_MS)) {
                        pause(now);
                    }
                }
                case DONE -> {
                    stray(loud);
                    silence();
                    return false;
                }
            }
            if (state != State.SPEAKING) {
                silence();
            }
            return state != State.PAUSE || now < windowEnd;
        }

        private void pause(long now) {
            state = State.PAUSE;
            until = now + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(500));
        }

        private void stray(boolean loud) {
            if (loud) {
                strayMs += tickMillis();
                strayWhileSpeakingMs += state == State.SPEAKING ? tickMillis() : 0;
            }
        }

        /** Starts the utterance from its beginning. */
        abstract void rewind();

        /** Sends the utterance's next tick of audio; false once it was all sent. */
        abstract boolean speak();

        /** Sends a tick of silence. */
        abstract void silence();

        /** Whether loud audio arrived since the last tick. */
        abstract boolean heardLoud();

        abstract int tickMillis();

        abstract boolean dropped();

        abstract void close();
    }

    static double rms(short[] samples) {
        double sum = 0;
        for (short v : samples) {
            sum += (double) v * v;
        }
        return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
    }

    /** A light WebRTC caller: pre-encoded Opus over SRTP, see {@link RtpCall}. */
    static final class LightCaller extends Caller {
        private final RtpCall call;

        LightCaller(RtpCall call, Random random) {
            super(random);
            this.call = call;
        }

        @Override
        void rewind() {
            call.rewind();
        }

        @Override
        boolean speak() {
            return call.speak();
        }

        @Override
        void silence() {
            call.silence();
        }

        @Override
        boolean heardLoud() {
            return call.heardLoud();
        }

        @Override
        int tickMillis() {
            return 10;
        }

        @Override
        boolean dropped() {
            return call.dropped();
        }

        @Override
        void close() {
            call.close();
        }
    }

    /** A WebRTC caller: a peer connection with one audio track and FastRTC's data channel. */
    static final class WebRtcCaller extends Caller {
        private final PeerSession session;
        private final AudioOutput mic;
        private final AudioFrame[] utterance;
        private final AudioFrame silence = AudioFrame.silence(48000, 1, 10);
        private final CompletableFuture<AudioInput> speaker = new CompletableFuture<>();
        private final CompletableFuture<Boolean> connected = new CompletableFuture<>();
        private int next;

        WebRtcCaller(RtcEngine engine, String url, String id, AudioFrame speech, Random random) throws Exception {
            super(random);
            session = engine.newSession(id, IceConfig.DEFAULT, new PeerSession.Listener() {
                @Override
                public void onStateChange(PeerState state) {
                    if (state == PeerState.CONNECTED) {
                        connected.complete(true);
                    }
                }

                @Override
                public void onAudioTrack(AudioInput input) {
                    speaker.complete(input);
                }
            });
            mic = session.addAudioOutput("audio-" + id, "a-" + id);
            session.createDataChannel("text");
            AudioFrame at48k = speech.resample(48000);
            utterance = new AudioFrame[at48k.samplesPerChannel() / 480];
            for (int i = 0; i < utterance.length; i++) {
                utterance[i] = at48k.slice(480 * i, 480 * (i + 1));
            }
            Signaling.Reply reply = Signaling.offer(url, id, session.createOffer());
            if (!reply.isAnswer()) {
                session.close();
                throw new IllegalStateException(id + ": refused: " + reply);
            }
            session.setRemoteDescription(false, reply.json().get("sdp").asText());
            try {
                connected.get(20, TimeUnit.SECONDS);
                speaker.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                session.close();
                throw new IllegalStateException(id + ": not connected within 20 s", e);
            }
        }

        @Override
        void rewind() {
            next = 0;
        }

        @Override
        boolean speak() {
            if (next >= utterance.length) {
                return false;
            }
            mic.push(utterance[next++]);
            return true;
        }

        @Override
        void silence() {
            mic.push(silence);
        }

        @Override
        boolean heardLoud() {
            AudioInput in = speaker.join();
            boolean loud = false;
            try {
                AudioFrame f;
                while ((f = in.take(0, TimeUnit.MILLISECONDS)) != null) {
                    loud |= rms(f.toPcm16()) > LOUD;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return loud;
        }

        @Override
        int tickMillis() {
            return 10;
        }

        @Override
        boolean dropped() {
            return session.isClosed() || session.state() == PeerState.FAILED;
        }

        @Override
        void close() {
            session.close();
        }
    }
}
