package io.fastrtc.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentences of one spoken answer with the audio each took, to tell which words a caller heard
 * after {@code played} of it, as OpenAI's realtime API truncates an interrupted answer: the sentences
 * heard to the end, then the share of the one being played proportional to its audio heard, cut at a
 * word boundary. Not thread-safe.
 */
public final class SpokenText {

    private record Part(String text, long pauseNanos, long speechNanos) {
    }

    /** Audio durations are rounded to whole samples and nanoseconds along the way. */
    private static final long ROUNDING = 1_000_000;

    private final List<Part> parts = new ArrayList<>();

    /** Records a sentence spoken after {@code pause} of silence in {@code speech} of audio. */
    public void add(String sentence, Duration pause, Duration speech) {
        parts.add(new Part(sentence, pause.toNanos(), speech.toNanos()));
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The audio of every sentence, pauses included. */
    public Duration duration() {
        long total = 0;
        for (Part p : parts) {
            total += p.pauseNanos + p.speechNanos;
        }
        return Duration.ofNanos(total);
    }

    /** Milliseconds of speech per character over the sentences so far, or {@code fallback} before any. */
    double millisPerChar(double fallback) {
        long speech = 0;
        int chars = 0;
        for (Part p : parts) {
            speech += p.speechNanos;
            chars += p.text.length();
        }
        return chars == 0 || speech == 0 ? fallback : speech / 1e6 / chars;
    }

    /** Every sentence. */
    public String all() {
        return heard(duration());
    }

    /** The words heard in the first {@code played} of the audio. */
    public String heard(Duration played) {
        long left = played.toNanos();
        List<String> heard = new ArrayList<>();
        for (Part p : parts) {
            left -= p.pauseNanos;
            if (left <= 0) {
                break;
            }
            if (left >= p.speechNanos - ROUNDING) {
                heard.add(p.text);
                left -= p.speechNanos;
                continue;
            }
            String cut = wordsWithin(p.text, (double) left / p.speechNanos);
            if (!cut.isEmpty()) {
                heard.add(cut);
            }
            break;
        }
        return String.join(" ", heard);
    }

    /** The whole words of {@code sentence} that end within the first {@code fraction} of its characters. */
    static String wordsWithin(String sentence, double fraction) {
        int limit = (int) Math.floor(fraction * sentence.length());
        int end = 0;
        for (int i = 0; i < sentence.length(); i++) {
            boolean wordEnds = !Character.isWhitespace(sentence.charAt(i))
                    && (i + 1 == sentence.length() || Character.isWhitespace(sentence.charAt(i + 1)));
            if (wordEnds) {
                if (i + 1 > limit) {
                    break;
                }
                end = i + 1;
            }
        }
        return sentence.substring(0, end);
    }
}
