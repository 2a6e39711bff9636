package io.fastrtc.realtime;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fastrtc.audio.AudioFrame;
import io.fastrtc.testing.SocketCaller;
import io.fastrtc.testing.StreamServer;
import io.fastrtc.testing.TestPeer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Callers and measurements shared by the bridge tests. */
final class Calls {

    static final double LOUD = 1000;

    private Calls() {
    }

    /** A FastRTC WebSocket caller (48 kHz microphone, the handler's 24 kHz speaker), started as {@code id}. */
    static SocketCaller webSocket(StreamServer server, String id) throws Exception {
        String url = server.baseUrl().replace("http:", "ws:") + "/websocket/offer";
        return SocketCaller.fastrtc(url, 48000, 24000).start(id, Map.of());
    }

    /** A Twilio Media Streams phone call (8 kHz µ-law both ways). */
    static SocketCaller phone(StreamServer server, String streamSid) throws Exception {
        String url = server.baseUrl().replace("http:", "ws:") + "/telephone/handler";
        return SocketCaller.twilio(url, Map.of()).start(streamSid, Map.of());
    }

    /** A sine "utterance" the fake models' energy detectors hear as speech. */
    static AudioFrame tone(int rate, double hz, int millis) {
        short[] s = new short[rate * millis / 1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(9000 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return AudioFrame.ofPcm16(rate, 1, s);
    }

    /** Milliseconds of loud audio the caller has heard so far. */
    static double loudMillis(List<TestPeer.Heard> heard) {
        return heard.stream().filter(h -> h.rms() > LOUD).mapToDouble(h -> h.frame().durationMillis()).sum();
    }

    /** Frequency of the loud audio the caller heard (of {@code heard} from index {@code from}). */
    static double heardFrequency(List<TestPeer.Heard> heard, int from) {
        Crossings c = new Crossings();
        int rate = 0;
        for (TestPeer.Heard h : heard.subList(from, heard.size())) {
            if (h.rms() > LOUD) {
                c.add(h.frame().toPcm16());
                rate = h.frame().sampleRate();
            }
        }
        return c.frequency(rate);
    }

    /**
     * Counts a signal's zero crossings with hysteresis (±1000), so quantisation noise near zero
     * (µ-law, resampling) does not count as crossings.
     */
    static final class Crossings {
        private int state;
        private int crossings;
        private long samples;

        void add(short[] s) {
            for (short v : s) {
                int now = v > 1000 ? 1 : v < -1000 ? -1 : state;
                if (state != 0 && now != state) {
                    crossings++;
                }
                state = now;
                samples++;
            }
        }

        double frequency(int rate) {
            return samples == 0 ? 0 : crossings * (double) rate / (2.0 * samples);
        }
    }

    /** Zero-crossing frequency of the last {@code millis} of loud audio the caller heard. */
    static double lastLoudFrequency(List<TestPeer.Heard> heard, double millis) {
        double total = 0;
        int from = heard.size();
        while (from > 0 && total < millis) {
            from--;
            if (heard.get(from).rms() > LOUD) {
                total += heard.get(from).frame().durationMillis();
            }
        }
        return heardFrequency(heard, from);
    }

    /** Waits until the stream has registered the caller's session (its {@code start} was handled). */
    static void awaitSession(StreamServer server, String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stream().connectionIds().contains(id));
    }

    static void awaitLoud(SocketCaller caller, double millis, Duration within) {
        await().atMost(within).until(() -> loudMillis(caller.heard()) >= millis);
    }

    /** Records what the library logs (debug and up) while a test runs. */
    static final class LogCapture implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("io.fastrtc");
        private final Level level = logger.getLevel();
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        LogCapture() {
            appender.start();
            logger.addAppender(appender);
            logger.setLevel(Level.DEBUG);
        }

        /** Every message with its exception's text. */
        String text() {
            StringBuilder all = new StringBuilder();
            for (ILoggingEvent e : List.copyOf(appender.list)) {
                all.append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    all.append(e.getThrowableProxy().getMessage()).append('\n');
                }
            }
            return all.toString();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }
}
