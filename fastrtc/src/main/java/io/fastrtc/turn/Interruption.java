package io.fastrtc.turn;

import io.fastrtc.internal.Checks;
import java.time.Duration;

/**
 * When the user's voice cuts a reply of {@link ReplyOnPause}: after {@link #minSpeech()} of
 * sustained speech, so a cough, a click or a short "mm-hm" does not. Gaps shorter than
 * {@link #gap()} do not break the speech; a longer one ends the sound, and a sound that ended short
 * of the minimum was not an interruption.
 *
 * <p>With {@link #pauseOnSound()} the reply is held (nothing dropped) from the first frame of
 * speech: the user hears the agent stop at once, and if the sound ends short of the minimum the
 * reply goes on where it stopped (a false interruption); if it lasts, the reply is cut.
 *
 * @param minSpeech speech that interrupts a reply (default 250 ms)
 * @param gap silence that ends a sound (default 150 ms)
 * @param pauseOnSound hold the reply from the first sound until it is judged (default false)
 */
public record Interruption(Duration minSpeech, Duration gap, boolean pauseOnSound) {

    private static final Duration DEFAULT_MIN_SPEECH = Duration.ofMillis(250);
    private static final Duration DEFAULT_GAP = Duration.ofMillis(150);

    /** 250 ms of speech interrupts, 150 ms gaps end a sound, no pause. */
    public static final Interruption DEFAULTS = new Interruption(DEFAULT_MIN_SPEECH, DEFAULT_GAP, false);

    public Interruption {
        Checks.positive("minSpeech", minSpeech, DEFAULT_MIN_SPEECH);
        Checks.positive("gap", gap, DEFAULT_GAP);
    }

    public Interruption withMinSpeech(Duration value) {
        return new Interruption(value, gap, pauseOnSound);
    }

    public Interruption withGap(Duration value) {
        return new Interruption(minSpeech, value, pauseOnSound);
    }

    public Interruption withPauseOnSound(boolean value) {
        return new Interruption(minSpeech, gap, value);
    }
}
