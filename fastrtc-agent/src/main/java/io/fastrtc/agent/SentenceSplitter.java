package io.fastrtc.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text that arrives in pieces into sentences as soon as each is complete: after {@code .},
 * {@code !} or {@code ?} followed by white space (FastRTC's rule, so "3.5" stays whole), or at a line
 * break. A piece that ends with {@code !}, {@code ?}, or {@code .} after a word of two letters or more
 * completes its sentence at once, without waiting for the next piece's space (a model's next token
 * comes tens of milliseconds later); "3." and "e.g." wait. Pieces without a letter or digit (the rest
 * of "?!" or "...") are no sentence. Not thread-safe.
 */
public final class SentenceSplitter {

    private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?])\\s+|\\s*\\n\\s*");
    private static final Pattern ENDS_NOW = Pattern.compile("(?:[!?]|(?<=\\p{L}{2})\\.)$");
    private static final Pattern SPOKEN = Pattern.compile("[\\p{L}\\p{N}]");

    private final StringBuilder pending = new StringBuilder();

    /** Adds a piece of text; returns the sentences it completed (often none). */
    public List<String> add(String text) {
        pending.append(text);
        Matcher m = BOUNDARY.matcher(pending);
        int end = -1;
        while (m.find()) {
            end = m.end();
        }
        if (ENDS_NOW.matcher(pending).find()) {
            end = pending.length();
        }
        if (end < 0) {
            return List.of();
        }
        String complete = pending.substring(0, end);
        pending.delete(0, end);
        return split(complete);
    }

    /** The text still pending, as the last sentences (the answer ended). */
    public List<String> finish() {
        String rest = pending.toString();
        pending.setLength(0);
        return split(rest);
    }

    private static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (String s : BOUNDARY.split(text)) {
            if (SPOKEN.matcher(s).find()) {
                sentences.add(s.strip());
            }
        }
        return sentences;
    }
}
