package io.fastrtc.speech;

import java.util.Objects;

/**
 * Words recognised in a {@link LiveTranscription}.
 *
 * @param text the words ({@code ""} when an event carries none, e.g. a bare end of speech)
 * @param isFinal false for an interim guess that a later transcript of the same audio replaces;
 *     true when these words will not change
 * @param endOfSpeech true when the recogniser heard the speaker stop (a pause long enough to end
 *     a sentence or a turn): a good moment to answer
 */
public record Transcript(String text, boolean isFinal, boolean endOfSpeech) {
    public Transcript {
        Objects.requireNonNull(text, "text");
    }
}
