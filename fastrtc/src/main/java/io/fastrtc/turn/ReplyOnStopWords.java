package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.protocol.Messages;
import io.fastrtc.speech.SpeechToText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Turn-taking that waits for a stop word ("computer", "hey assistant") before it listens for a
 * turn: FastRTC's {@code ReplyOnStopWords}.
 *
 * <pre>{@code
 * Stream.builder().audio(ReplyOnStopWords.builder(audio -> answer(audio), stt, "computer").build()).build();
 * }</pre>
 *
 * <p>The algorithm is FastRTC's ({@code ReplyOnStopWords} in its {@code reply_on_stopwords.py}). Until a stop word is heard, each chunk of input
 * ({@link AlgoOptions#audioChunkDurationS()}) is resampled to 16 kHz and added to a rolling window
 * of the last 2 s; the speech the {@linkplain ReplyOnPause.Builder#model model} finds in the window
 * is transcribed and searched for a stop word (case-insensitive, whole words, any white space
 * between the words of a phrase, trailing {@code .,!?} allowed). Once one is found, the client gets
 * {@code {"type":"stopword","data":""}} and the turn continues as {@link ReplyOnPause}'s: it starts
 * with the next chunk that has speech and ends at a pause, and the reply function gets what was
 * said <em>after</em> the chunk in which the stop word was recognised. After every reply the stop
 * word must be said again.
 *
 * <p>Unlike FastRTC, the client also gets {@code started_talking} once the turn starts, and
 * {@code maxContinuousSpeechS} applies to the turn after the stop word. Talking over a reply cuts it
 * when a stop-word turn ends (FastRTC's behaviour); cutting it as soon as anyone starts talking
 * would let any voice in the room interrupt.
 *
 * <p>The speech-to-text runs on the connection's input thread, once per chunk that has speech in
 * it (FastRTC transcribes after every chunk while the window holds any speech; a chunk without
 * speech adds no words, so we skip it). A recogniser slower than the chunk length delays the turn
 * but loses no audio (the input queue holds 10 s); while it runs, the next part of a reply that is
 * playing waits.
 */
public class ReplyOnStopWords extends ReplyOnPause {

    /** The rate the window is kept and transcribed at. */
    static final int STT_RATE = 16000;
    /** The window: the last 2 s. */
    static final int WINDOW_SAMPLES = 2 * STT_RATE;

    private final Options options;
    private final SpeechToText stt;
    private final List<String> stopWords;
    private final List<Pattern> patterns;

    protected ReplyOnStopWords(Options options, SpeechToText stt, List<String> stopWords) {
        super(options);
        this.options = options;
        this.stt = stt;
        this.stopWords = List.copyOf(stopWords);
        List<Pattern> p = new ArrayList<>();
        for (String stopWord : this.stopWords) {
            p.add(pattern(stopWord));
        }
        this.patterns = List.copyOf(p);
    }

    /** A builder for {@code fn}, listening with {@code stt} for any of {@code stopWords}. */
    public static Builder builder(ReplyFunction fn, SpeechToText stt, String... stopWords) {
        Objects.requireNonNull(fn, "fn");
        return new Builder(new Options((audio, inputs) -> fn.reply(audio), false), stt, stopWords);
    }

    /** As {@link #builder(ReplyFunction, SpeechToText, String...)}, for a reply function that takes inputs. */
    public static Builder builder(ReplyWithInputs fn, SpeechToText stt, String... stopWords) {
        return new Builder(new Options(Objects.requireNonNull(fn, "fn"), true), stt, stopWords);
    }

    @Override
    public ReplyOnStopWords copy() {
        return new ReplyOnStopWords(options, stt, stopWords);
    }

    public List<String> stopWords() {
        return stopWords;
    }

    /** True if {@code text} contains one of the stop words (FastRTC's {@code stop_word_detected}). */
    public boolean stopWordDetected(String text) {
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** FastRTC's {@code \bword(\s+word)*[.,!?]*\b}, case-insensitive. */
    private static Pattern pattern(String stopWord) {
        StringJoiner words = new StringJoiner("\\s+", "\\b", "[.,!?]*\\b");
        for (String word : stopWord.toLowerCase(Locale.ROOT).strip().split("\\s+")) {
            words.add(Pattern.quote(word));
        }
        return Pattern.compile(words.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** A turn that first waits for the stop word. */
    static final class StopWordTurn extends TurnState {
        boolean stopWordDetected;
        /** The last 2 s of input at 16 kHz mono, while no stop word has been heard. */
        AudioFrame window;
    }

    @Override
    protected TurnState newTurn() {
        return new StopWordTurn();
    }

    @Override
    protected boolean determinePause(AudioFrame audio, TurnState turn) {
        StopWordTurn t = (StopWordTurn) turn;
        if (t.stopWordDetected) {
            return super.determinePause(audio, turn);
        }
        if (audio.durationMillis() / 1000.0 < options.algo.audioChunkDurationS()) {
            return false;
        }
        turn.buffer = null;
        AudioFrame chunk = audio.toMono().resample(STT_RATE);
        AudioFrame window = t.window == null ? chunk : t.window.concat(chunk);
        int n = window.samplesPerChannel();
        t.window = n > WINDOW_SAMPLES ? window.slice(n - WINDOW_SAMPLES, n) : window;
        if (options.model.vad(chunk).speechSeconds() <= 0) {
            return false; // nothing new was said: the window's words were already searched
        }
        if (stopWordDetected(transcribeSpeech(t.window))) {
            t.stopWordDetected = true;
            t.window = null;
            sendMessage(Messages.stopword());
        }
        return false;
    }

    /** The text of the speech the model finds in {@code window} (FastRTC's {@code stt_for_chunks}). */
    private String transcribeSpeech(AudioFrame window) {
        SpeechResult speech = options.model.vad(window);
        if (speech.speechSeconds() <= 0) {
            return "";
        }
        if (speech.segments().isEmpty()) {
            return stt.transcribe(window); // a model that measures speech without locating it
        }
        double scale = (double) STT_RATE / speech.sampleRate();
        int n = window.samplesPerChannel();
        StringJoiner text = new StringJoiner(" ");
        for (SpeechResult.Segment segment : speech.segments()) {
            int from = Math.min(n, (int) (segment.start() * scale));
            int to = Math.min(n, (int) Math.ceil(segment.end() * scale));
            if (to > from) {
                text.add(stt.transcribe(window.slice(from, to)));
            }
        }
        return text.toString();
    }

    /**
     * Configures a {@link ReplyOnStopWords}; the settings are {@link ReplyOnPause.Builder}'s, except
     * early interruption, which a stop word replaces.
     */
    public static final class Builder extends TurnBuilder<Builder> {
        private final SpeechToText stt;
        private final List<String> stopWords;

        Builder(Options options, SpeechToText stt, String... stopWords) {
            super(options);
            this.stt = Objects.requireNonNull(stt, "stt");
            Objects.requireNonNull(stopWords, "stopWords");
            if (stopWords.length == 0) {
                throw new IllegalArgumentException("give at least one stop word, e.g. \"computer\"");
            }
            for (String w : stopWords) {
                if (w == null || w.isBlank()) {
                    throw new IllegalArgumentException("stop words must not be blank; got "
                            + java.util.Arrays.toString(stopWords));
                }
            }
            this.stopWords = List.of(stopWords);
            options.earlyInterrupt = false;
        }

        @Override
        Builder self() {
            return this;
        }

        public ReplyOnStopWords build() {
            return new ReplyOnStopWords(options.copy(), stt, stopWords);
        }
    }
}
