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
 * <p>The defaults, 500 ms of speech with the reply held from the first sound, are the setting
 * {@code scripts/bench-voice} measured best at the client over WebRTC: espeak-ng backchannels
 * ("mm-hm", "uh-huh", "yeah", "okay", 409-549 ms) hold 260-420 ms of speech for the built-in
 * detector, so a 250 ms minimum cut the reply on 4 of the 8 short sounds and went silent 496 ms p50
 * after the interrupting speech began, where 500 ms with the pause cut it on none and went silent
 * after 203 ms (the pause). It is LiveKit Agents' 0.5 s minimum and its resume after a false
 * interruption. What it costs: a real interruption cuts the reply (queued audio dropped, the
 * generator closed) only after 500 ms of speech, and any sound the detector takes for speech, a
 * backchannel included, silences the reply until it is judged (about the sound plus
 * {@link #gap()}). {@code DEFAULTS.withMinSpeech(Duration.ofMillis(250)).withPauseOnSound(false)}
 * cuts sooner and never holds, at the price of those false interruptions.
 *
 * <p>How soon the caller hears a held reply stop: over WebRTC at once (the track gets silence
 * from the next 10 ms frame, behind what the client's jitter buffer holds); over a WebSocket or a
 * phone call once the client has played the up to 200 ms it was sent ahead (the socket protocols
 * can drop a client's buffered audio, Twilio's {@code clear}, but not hold it). Nothing is lost
 * either way: the held audio plays on when the reply resumes. FastRTC's chunked mode
 * ({@link ReplyOnPause.Builder#algoOptions}) interrupts as FastRTC does, never holding a reply,
 * unless an interruption is set ({@link ReplyOnPause.Builder#earlyInterrupt}).
 *
 * @param minSpeech speech that interrupts a reply (default 500 ms)
 * @param gap silence that ends a sound (default 150 ms)
 * @param pauseOnSound hold the reply from the first sound until it is judged (default true)
 */
public record Interruption(Duration minSpeech, Duration gap, boolean pauseOnSound) {

    private static final Duration DEFAULT_MIN_SPEECH = Duration.ofMillis(500);
    private static final Duration DEFAULT_GAP = Duration.ofMillis(150);

    /** 500 ms of speech interrupts, 150 ms gaps end a sound, the reply held from the first sound. */
    public static final Interruption DEFAULTS = new Interruption(DEFAULT_MIN_SPEECH, DEFAULT_GAP, true);

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
