package io.fastrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.audio.Layout;
import io.fastrtc.audio.StreamHandler;
import io.fastrtc.handler.AdditionalOutputs;
import io.fastrtc.handler.CloseStream;
import io.fastrtc.handler.Context;
import io.fastrtc.handler.Emit;
import io.fastrtc.internal.OutputSignal;
import io.fastrtc.handler.Inputs;
import io.fastrtc.security.AccessDenied;
import io.fastrtc.security.Limits;
import io.fastrtc.security.Request;
import io.fastrtc.stream.OutputFeed;
import io.fastrtc.stream.Stream;
import io.fastrtc.testing.EchoHandler;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.Speech;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.turn.Reply;
import io.fastrtc.turn.ReplyOnPause;
import io.fastrtc.ui.Textbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FastRTC's WebSocket audio protocol ({@code WS /websocket/offer}) end to end, with a real socket client. */
class WebSocketTransportTest {

    /** One breath: an utterance with a pause inside would be two turns. */
    private static AudioFrame speech;
    static AudioFrame hello;

    static synchronized AudioFrame hello() throws Exception {
        if (speech == null) {
            speech = Speech.say("hello there this is a test of the voice agent");
        }
        return speech;
    }

    @BeforeAll
    static void speech() throws Exception {
        hello = hello();
    }

    static String url(StreamServer server) {
        return server.baseUrl().replace("http:", "ws:") + "/websocket/offer";
    }

    static String logData(String message) {
        return message.replaceAll(".*\"data\":\"([^\"]*)\".*", "$1");
    }

    /** The {@code log} messages up to {@code until}. */
    static List<String> logs(SocketCaller caller, Duration wait, String until) throws InterruptedException {
        List<String> logs = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String m = caller.nextMessage(Duration.ofMillis(100));
            if (m != null && m.contains("\"log\"")) {
                logs.add(logData(m));
                if (logData(m).equals(until)) {
                    break;
                }
            }
        }
        return logs;
    }

    static long loudMediaSince(SocketCaller caller, long sinceNanos) {
        return caller.media().stream().filter(m -> m.nanos() >= sinceNanos && m.rms() > 1500).count();
    }

    static long loudHeardSince(SocketCaller caller, long sinceNanos) {
        return caller.heard().stream().filter(h -> h.nanos() >= sinceNanos && h.rms() > 1500).count();
    }

    /** The handler's per-connection copy, once the session exists. */
    static <T> T handlerOf(Stream stream, String id, Class<T> type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains(id));
        return type.cast(stream.handler(id).orElseThrow());
    }

    /** Starts the session, lets the pause detector settle on silence, then speaks. */
    static void startAndSay(Stream stream, SocketCaller caller, String id, AudioFrame speech) throws Exception {
        caller.start(id, Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains(id));
        Thread.sleep(500);
        caller.say(speech);
    }

    @Test
    void replyOnPauseEchoesAnUtteranceAsPacedMuLaw() throws Exception {
        List<AudioFrame> utterances = new CopyOnWriteArrayList<>();
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> {
            utterances.add(audio);
            return Reply.of(audio);
        })).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 48000, 24000)) {
            startAndSay(stream, caller, "ws-speaker", hello);
            assertThat(logs(caller, Duration.ofSeconds(30), "response_starting"))
                    .containsExactly("started_talking", "pause_detected", "response_starting");
            assertThat(caller.speaking()).isFalse();
            long speechEnd = caller.speechEndedNanos();
            await().atMost(Duration.ofSeconds(20)).until(() -> loudHeardSince(caller, speechEnd) >= 100);

            assertThat(utterances).hasSize(1);
            assertThat(utterances.get(0).sampleRate()).isEqualTo(48000);
            assertThat(utterances.get(0).durationMillis()).isGreaterThan(hello.durationMillis());
            // Nothing was played back while the user talked.
            assertThat(caller.media().stream().filter(m -> m.nanos() < speechEnd && m.rms() > 1500)).isEmpty();

            // The whole echo comes back at 24 kHz, in 20 ms messages, paced rather than in a burst
            // (a burst arrives within a few ms; the bound leaves room for a loaded machine's stalls,
            // after which the pacer tops the client's 200 ms lead up again).
            double replyMillis = utterances.get(0).durationMillis();
            await().atMost(Duration.ofSeconds(20)).until(() -> receivedMillis(caller, 24000) >= replyMillis - 20);
            List<SocketCaller.Media> media = List.copyOf(caller.media());
            assertThat(media.subList(0, media.size() - 1)).allSatisfy(m -> assertThat(m.samples()).isEqualTo(480));
            double spanMillis = (media.get(media.size() - 1).nanos() - media.get(0).nanos()) / 1e6;
            assertThat(spanMillis).as("arrival span of %.0f ms of reply", replyMillis)
                    .isGreaterThan(replyMillis / 2);
        }
    }

    static double receivedMillis(SocketCaller caller, int rate) {
        return caller.media().stream().mapToInt(SocketCaller.Media::samples).sum() * 1000.0 / rate;
    }

    @Test
    void talkingOverAReplyClearsItAtOnce() throws Exception {
        AudioFrame longReply = hello.concat(hello).concat(hello).concat(hello);
        Stream stream = Stream.builder().audio(new ReplyOnPause(audio -> Reply.of(longReply))).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 48000, 24000)) {
            startAndSay(stream, caller, "ws-interrupter", hello);
            assertThat(logs(caller, Duration.ofSeconds(30), "response_starting")).endsWith("response_starting");
            long replyStarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> loudHeardSince(caller, replyStarted) > 30);
            caller.say(hello);
            String clear = caller.awaitMessage("\"clear\"", Duration.ofSeconds(10));
            assertThat(clear).isEqualTo("{\"event\":\"clear\"}");
            long cleared = System.nanoTime();
            assertThat(caller.speaking()).as("cut while the user is still talking").isTrue();
            assertThat(caller.awaitMessage("interrupted", Duration.ofSeconds(5))).isNotNull();
            Thread.sleep(800);
            assertThat(loudMediaSince(caller, cleared + 100_000_000L)).as("reply media after the clear").isZero();
            assertThat(loudHeardSince(caller, cleared + 100_000_000L)).as("reply played after the clear").isZero();
        }
    }

    /** Asks for inputs, warns, publishes outputs and echoes, all from a plain StreamHandler. */
    static final class ChattyHandler extends StreamHandler {
        final ConcurrentLinkedQueue<Emit> out = new ConcurrentLinkedQueue<>();
        final List<Inputs> inputs = new CopyOnWriteArrayList<>();
        final AtomicInteger shutdowns;
        private boolean asked;

        ChattyHandler(AtomicInteger shutdowns) {
            super(16000, Layout.MONO, 16000);
            this.shutdowns = shutdowns;
        }

        @Override
        public void receive(AudioFrame frame) throws Exception {
            if (!asked) {
                asked = true;
                inputs.add(waitForArgs());
                Context.current().orElseThrow().warn("heads up");
                out.add(frame.with(AdditionalOutputs.of("seen " + latestArgs().getString(0))));
            }
        }

        @Override
        public Emit emit() {
            return out.poll();
        }

        @Override
        public StreamHandler copy() {
            return new ChattyHandler(shutdowns);
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    /** Counts what the stream asks of it; never has output. */
    static class CountingIdleHandler extends StreamHandler {
        static final AtomicInteger RECEIVED = new AtomicInteger();
        static final AtomicInteger EMITS = new AtomicInteger();

        CountingIdleHandler() {
            super(16000, Layout.MONO, 16000);
        }

        @Override
        public void receive(AudioFrame frame) {
            RECEIVED.incrementAndGet();
        }

        @Override
        public Emit emit() {
            EMITS.incrementAndGet();
            return null;
        }

        @Override
        public StreamHandler copy() {
            return new CountingIdleHandler();
        }
    }

    @Test
    void anIdleHandlerIsAskedForOutputAfterEachFrameItReceivesNotPolledEveryTenMs() throws Exception {
        Stream stream = Stream.builder().audio(new CountingIdleHandler()).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            caller.muteMicrophone();
            caller.start("ws-idle", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> CountingIdleHandler.EMITS.get() > 0);
            int before = CountingIdleHandler.EMITS.get();
            Thread.sleep(1000);
            // Without input the pump waits 40 ms between asks (about 25 a second; polling every 10 ms made 100).
            assertThat(CountingIdleHandler.EMITS.get() - before).isBetween(1, 50);
        }
        Stream talking = Stream.builder().audio(new CountingIdleHandler()).build();
        try (StreamServer server = StreamServer.start(talking);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            // Asked after every frame (the 40 ms wait alone would ask about once per two frames).
            assertThat(asksOverAHundredFrames(caller, "ws-talking")).isGreaterThanOrEqualTo(70);
        }
    }

    /** How often a {@link CountingIdleHandler} was asked for output while 100 frames came in. */
    private static int asksOverAHundredFrames(SocketCaller caller, String id) {
        caller.start(id, Map.of()); // the microphone sends 20 ms of silence 50 times a second
        await().atMost(Duration.ofSeconds(10)).until(() -> CountingIdleHandler.RECEIVED.get() > 10);
        int received = CountingIdleHandler.RECEIVED.get();
        int emits = CountingIdleHandler.EMITS.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> CountingIdleHandler.RECEIVED.get() - received >= 100);
        return CountingIdleHandler.EMITS.get() - emits;
    }

    /** Says when it has output (as ReplyOnPause does when a turn ends): one short tone each time. */
    static final class SignallingHandler extends CountingIdleHandler implements OutputSignal {
        static final AtomicReference<Runnable> WAKE = new AtomicReference<>();
        static final AtomicInteger READY = new AtomicInteger();
        static final AtomicInteger GAVE = new AtomicInteger();

        @Override
        public boolean signalsOutput() {
            return true;
        }

        @Override
        public void onOutput(Runnable wake) {
            WAKE.set(wake);
        }

        @Override
        public boolean outputIdle() {
            return READY.get() == 0;
        }

        @Override
        public Emit emit() {
            super.emit();
            if (READY.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                return null;
            }
            GAVE.incrementAndGet();
            return AudioFrame.silence(16000, 1, 20);
        }

        @Override
        public StreamHandler copy() {
            return new SignallingHandler();
        }
    }

    @Test
    void aHandlerThatSignalsItsOutputIsAskedWhenItSaysNotAfterEveryFrame() throws Exception {
        Stream stream = Stream.builder().audio(new SignallingHandler()).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            // 100 frames (2 s): asked after none of them; only the idle pump's wait of a second runs out.
            assertThat(asksOverAHundredFrames(caller, "ws-signalled")).isLessThanOrEqualTo(5);
            SignallingHandler.READY.set(3);
            SignallingHandler.WAKE.get().run();
            await().atMost(Duration.ofSeconds(10)).until(() -> SignallingHandler.GAVE.get() == 3);
        }
    }

    @Test
    void dataChannelMessagesTravelOverTheSocket() throws Exception {
        AtomicInteger shutdowns = new AtomicInteger();
        Stream stream = Stream.builder().audio(new ChattyHandler(shutdowns))
                .additionalInputs(Textbox.of("Name", "nobody")).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 16000)) {
            caller.start("ws-chatty", Map.of());
            assertThat(caller.awaitMessage("send_input", Duration.ofSeconds(10)))
                    .isEqualTo("{\"type\":\"send_input\",\"data\":[]}");
            OutputFeed outputs = stream.outputStream("ws-chatty");
            stream.setInput("ws-chatty", "Ada");
            assertThat(caller.awaitMessage("warning", Duration.ofSeconds(10)))
                    .isEqualTo("{\"type\":\"warning\",\"message\":\"heads up\"}");
            assertThat(caller.awaitMessage("fetch_output", Duration.ofSeconds(10))).isNotNull();
            assertThat(outputs.next().values()).containsExactly("seen Ada");
            ChattyHandler handler = handlerOf(stream, "ws-chatty", ChattyHandler.class);
            assertThat(handler.inputs.get(0).getString(0)).isEqualTo("Ada");

            caller.send("{\"event\":\"ping\"}");
            assertThat(caller.awaitMessage("pong", Duration.ofSeconds(5))).isEqualTo("{\"event\":\"pong\"}");
            caller.stop();
            assertThat(caller.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> shutdowns.get() == 1);
            assertThat(stream.connectionIds()).isEmpty();
        }
    }

    @Test
    void theConcurrencyLimitHoldsForSocketsWithFastRtcsFailureMessage() throws Exception {
        Stream stream = Stream.builder().audio(new EchoHandler(16000)).concurrencyLimit(1).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller first = SocketCaller.fastrtc(url(server), 16000, 24000);
                SocketCaller second = SocketCaller.fastrtc(url(server), 16000, 24000)) {
            first.start("first", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("first"));
            second.start("second", Map.of());
            assertThat(second.awaitMessage("failed", Duration.ofSeconds(10))).isEqualTo(
                    "{\"status\":\"failed\",\"meta\":{\"error\":\"concurrency_limit_reached\",\"limit\":1}}");
            assertThat(second.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1013);
            assertThat(stream.connectionIds()).containsExactly("first");
            first.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    /** Plays a second of tone, then ends the stream. */
    static final class ToneThenClose extends StreamHandler {
        final AtomicInteger shutdowns;
        private volatile boolean started;
        private boolean sent;

        ToneThenClose(AtomicInteger shutdowns) {
            super(16000, Layout.MONO, 24000);
            this.shutdowns = shutdowns;
        }

        @Override
        public void receive(AudioFrame frame) {
            started = true;
        }

        @Override
        public Emit emit() {
            if (!started) {
                return null;
            }
            if (!sent) {
                sent = true;
                return tone(24000, 1.0);
            }
            return CloseStream.of("bye");
        }

        @Override
        public StreamHandler copy() {
            return new ToneThenClose(shutdowns);
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    static AudioFrame tone(int rate, double seconds) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        return AudioFrame.ofPcm16(rate, 1, s);
    }

    @Test
    void closeStreamEndsTheSocketOnceTheAudioHasPlayed() throws Exception {
        AtomicInteger shutdowns = new AtomicInteger();
        Stream stream = Stream.builder().audio(new ToneThenClose(shutdowns)).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 24000)) {
            caller.start("closer", Map.of());
            assertThat(caller.awaitMessage("end_stream", Duration.ofSeconds(20)))
                    .isEqualTo("{\"type\":\"end_stream\",\"data\":\"bye\"}");
            SocketCaller.Closed closed = caller.awaitClosed(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1000);
            assertThat(receivedMillis(caller, 24000)).isEqualTo(1000.0);
            List<SocketCaller.Media> media = List.copyOf(caller.media());
            // The close waits for the client to have played the lead it was sent ahead.
            assertThat((closed.nanos() - media.get(media.size() - 1).nanos()) / 1e6).isGreaterThan(150);
            await().atMost(Duration.ofSeconds(10)).until(() -> shutdowns.get() == 1);
            assertThat(stream.connectionIds()).isEmpty();
        }
    }

    @Test
    void theTimeLimitAppliesToSockets() throws Exception {
        RecordingEcho echo = new RecordingEcho();
        Stream stream = Stream.builder().audio(echo).timeLimit(Duration.ofSeconds(2)).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 24000)) {
            caller.start("limited", Map.of());
            assertThat(caller.awaitMessage("end_stream", Duration.ofSeconds(15))).contains("time limit of 2 s reached");
            assertThat(caller.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1000);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> echo.shutdowns.get() == 1);
        }
    }

    @Test
    void aHandlersExceptionReachesTheClientOnlyAsAnErrorId() throws Exception {
        StreamHandler leaky = new EchoHandler(8000) {
            @Override
            protected void inspect(AudioFrame frame) {
                try (var key = new java.io.FileInputStream("/srv/keys/prod.pem")) {
                    key.read();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public StreamHandler copy() {
                return this;
            }
        };
        Stream stream = Stream.builder().audio(leaky).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 8000, 24000)) {
            caller.send("{\"event\":\"start\",\"websocket_id\":\"leaky\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("leaky"));
            caller.send("{\"event\":\"media\",\"media\":{\"payload\":\"" + base64(160) + "\"}}");
            String error = caller.awaitMessage("\"error\"", Duration.ofSeconds(10));
            assertThat(error).matches("\\{\"type\":\"error\",\"message\":\"the handler failed \\(error id"
                    + " [0-9a-f]{8}\\)\"}");
            assertThat(caller.received()).noneMatch(m -> m.contains("srv") || m.contains("prod.pem"));
            assertThat(stream.connectionIds()).containsExactly("leaky");
        }
    }

    @Test
    void badInputGetsClearErrorsAndTheSessionLivesOn() throws Exception {
        EchoHandler echo = new EchoHandler(8000);
        Stream stream = Stream.builder().audio(echo).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 8000, 24000)) {
            caller.send("{\"event\":\"start\",\"websocket_id\":\"sturdy\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("sturdy"));
            String[][] cases = {
                {"not json", "not JSON"},
                {"{\"type\":\"media\"}", "without an \\\"event\\\" field"},
                {"{\"event\":\"dance\"}", "unknown event \\\"dance\\\""},
                {"{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}", "not valid base64"},
                {"{\"event\":\"media\",\"media\":{}}", "without media.payload"},
            };
            for (String[] c : cases) {
                Thread.sleep(1100); // errors are reported at most once a second
                caller.send(c[0]);
                String error = caller.awaitMessage("\"error\"", Duration.ofSeconds(5));
                assertThat(error).as(c[0]).startsWith("{\"type\":\"error\",\"message\":").contains(c[1]);
            }
            // Chunks of any length are fine: µ-law has one byte per sample.
            caller.send("{\"event\":\"media\",\"media\":{\"payload\":\"" + base64(1) + "\"}}");
            caller.send("{\"event\":\"media\",\"media\":{\"payload\":\"" + base64(161) + "\"}}");
            EchoHandler copy = handlerOf(stream, "sturdy", EchoHandler.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !copy.formats().isEmpty());
            assertThat(copy.formats().get(0)).isEqualTo("8000/1/160");
            caller.send("{\"event\":\"ping\"}");
            assertThat(caller.awaitMessage("pong", Duration.ofSeconds(5))).isNotNull();
            assertThat(stream.connectionIds()).containsExactly("sturdy");

            caller.send("{\"event\":\"start\",\"websocket_id\":\"again\"}");
            assertThat(caller.awaitMessage("\"error\"", Duration.ofSeconds(5))).contains("a second start");
            assertThat(caller.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1008);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    static String base64(int bytes) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) 0xFF);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    @Test
    void protocolViolationsCloseTheSocketWithoutTakingASlot() throws Exception {
        Stream stream = Stream.builder().audio(new EchoHandler(16000)).build();
        try (StreamServer server = StreamServer.start(stream)) {
            try (SocketCaller early = SocketCaller.fastrtc(url(server), 16000, 24000)) {
                early.send("{\"event\":\"media\",\"media\":{\"payload\":\"" + base64(320) + "\"}}");
                assertThat(early.awaitMessage("\"error\"", Duration.ofSeconds(5))).contains("media before start");
                assertThat(early.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1008);
            }
            try (SocketCaller anonymous = SocketCaller.fastrtc(url(server), 16000, 24000)) {
                anonymous.send("{\"event\":\"start\"}");
                assertThat(anonymous.awaitMessage("\"error\"", Duration.ofSeconds(5))).contains("websocket_id");
                assertThat(anonymous.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1008);
            }
            try (SocketCaller huge = SocketCaller.fastrtc(url(server), 16000, 24000)) {
                huge.send("{\"event\":\"start\",\"websocket_id\":\"huge\"}");
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("huge"));
                huge.send("{\"event\":\"media\",\"media\":{\"payload\":\"" + "A".repeat(70_000) + "\"}}");
                assertThat(huge.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1009);
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
            }
            // The server still serves: the slot is free.
            try (SocketCaller next = SocketCaller.fastrtc(url(server), 16000, 24000)) {
                next.start("next", Map.of());
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("next"));
            }
        }
    }

    /** Echoes its input; records the threads that call it and counts shutdowns, over all copies. */
    static final class RecordingEcho extends StreamHandler {
        final List<Thread> threads;
        final AtomicInteger shutdowns;
        private final ConcurrentLinkedQueue<AudioFrame> queue = new ConcurrentLinkedQueue<>();

        RecordingEcho() {
            this(new CopyOnWriteArrayList<>(), new AtomicInteger());
        }

        private RecordingEcho(List<Thread> threads, AtomicInteger shutdowns) {
            super(16000, Layout.MONO, 24000);
            this.threads = threads;
            this.shutdowns = shutdowns;
        }

        private void record() {
            if (!threads.contains(Thread.currentThread())) {
                threads.add(Thread.currentThread());
            }
        }

        @Override
        public void receive(AudioFrame frame) {
            record();
            queue.add(frame);
        }

        @Override
        public Emit emit() {
            record();
            return queue.poll();
        }

        @Override
        public StreamHandler copy() {
            return new RecordingEcho(threads, shutdowns);
        }

        @Override
        public void shutdown() {
            shutdowns.incrementAndGet();
        }
    }

    @Test
    void aClientThatVanishesMidReplyFreesItsSlotAndThreads() throws Exception {
        RecordingEcho echo = new RecordingEcho();
        Stream stream = Stream.builder().audio(echo).build();
        try (StreamServer server = StreamServer.start(stream)) {
            SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 24000);
            caller.start("vanishing", Map.of());
            caller.say(tone(16000, 3));
            await().atMost(Duration.ofSeconds(10)).until(() -> loudMediaSince(caller, 0) > 10);
            caller.vanish();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.connectionIds().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> echo.shutdowns.get() == 1);
            assertThat(echo.threads).hasSizeGreaterThanOrEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> echo.threads.stream().noneMatch(Thread::isAlive));

            try (SocketCaller next = SocketCaller.fastrtc(url(server), 16000, 24000)) {
                next.start("after", Map.of());
                next.say(tone(16000, 0.5));
                await().atMost(Duration.ofSeconds(10)).until(() -> loudMediaSince(next, 0) > 5);
            }
        }
    }

    @Test
    void silentSocketsAreClosed() throws Exception {
        Stream stream = Stream.builder().audio(new RecordingEcho()).concurrencyLimit(2)
                .connectTimeout(Duration.ofSeconds(2)).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller mute = SocketCaller.fastrtc(url(server), 16000, 24000);
                SocketCaller neverStarts = SocketCaller.fastrtc(url(server), 16000, 24000)) {
            mute.start("mute", Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("mute"));
            mute.muteMicrophone(); // gone without closing, as a client whose network dropped

            SocketCaller.Closed unstarted = neverStarts.awaitClosed(Duration.ofSeconds(10));
            assertThat(unstarted.code()).isEqualTo(1008);
            assertThat(unstarted.reason()).contains("no start event within 2 s");

            SocketCaller.Closed idle = mute.awaitClosed(Stream.SOCKET_IDLE_TIMEOUT.plusSeconds(15));
            assertThat(idle.code()).isEqualTo(1001);
            assertThat(idle.reason()).contains("nothing received for 15 s");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().isEmpty());
        }
    }

    @Test
    void theAuthorizerAndTheRateLimitDecideOnSockets() throws Exception {
        Stream stream = Stream.builder().audio(new RecordingEcho()).concurrencyLimit(4)
                .authorizer(request -> {
                    if (!"alice".equals(request.bearerToken())) {
                        throw AccessDenied.unauthorized("log in first");
                    }
                    return "alice";
                })
                .limits(Limits.DEFAULT.withOffersPerMinute(1)).build();
        try (StreamServer server = StreamServer.start(stream)) {
            try (SocketCaller stranger = SocketCaller.fastrtc(url(server), 16000, 24000)) {
                assertThat(stranger.awaitMessage("\"error\"", Duration.ofSeconds(5))).contains("log in first");
                assertThat(stranger.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1008);
            }
            Map<String, String> alice = Map.of("Authorization", "Bearer alice");
            try (SocketCaller first = SocketCaller.fastrtc(url(server), alice, 16000, 24000);
                    SocketCaller second = SocketCaller.fastrtc(url(server), alice, 16000, 24000)) {
                first.start("alice-1", Map.of());
                await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionIds().contains("alice-1"));
                assertThat(stream.authorize(new Request("GET", "/input_hook", Map.of("Authorization",
                        List.of("Bearer alice")), Map.of(), Map.of(), "127.0.0.1")).owns("alice-1")).isTrue();
                second.start("alice-2", Map.of());
                assertThat(second.awaitMessage("rate_limited", Duration.ofSeconds(10))).startsWith(
                        "{\"status\":\"failed\",\"meta\":{\"error\":\"rate_limited\"");
                assertThat(second.awaitClosed(Duration.ofSeconds(10)).code()).isEqualTo(1013);
            }
        }
    }

    @Test
    void aVideoStreamRefusesSockets() throws Exception {
        Stream stream = Stream.builder().video((frame, inputs) -> frame).build();
        try (StreamServer server = StreamServer.start(stream);
                SocketCaller caller = SocketCaller.fastrtc(url(server), 16000, 24000)) {
            SocketCaller.Closed closed = caller.awaitClosed(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(1008);
            assertThat(closed.reason()).contains("video");
        }
    }
}
