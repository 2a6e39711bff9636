package io.fastrtc.turn;

/**
 * Judges sound heard while a reply plays ({@link Interruption}): speech adds up across gaps shorter
 * than {@code gap}; once it reaches {@code minSpeech} the reply is cut; a longer gap ends the sound
 * short of it, which was no interruption. Driven by per-frame speech decisions and frame
 * durations, so it runs on audio time alone. Not thread-safe.
 */
final class BargeIn {

    enum Action { NONE, PAUSE, RESUME, INTERRUPT }

    private final double minSpeechMillis;
    private final double gapMillis;
    private final boolean pauseOnSound;
    private double speechMillis;
    private double silentMillis;
    private boolean held;

    BargeIn(Interruption options) {
        minSpeechMillis = options.minSpeech().toNanos() / 1e6;
        gapMillis = options.gap().toNanos() / 1e6;
        pauseOnSound = options.pauseOnSound();
    }

    /** One frame of {@code millis} heard during a reply; what to do with the reply. */
    Action accept(boolean speech, double millis) {
        if (speech) {
            silentMillis = 0;
            speechMillis += millis;
            if (speechMillis >= minSpeechMillis) {
                reset();
                return Action.INTERRUPT;
            }
            if (pauseOnSound && !held) {
                held = true;
                return Action.PAUSE;
            }
            return Action.NONE;
        }
        if (speechMillis > 0) {
            silentMillis += millis;
            if (silentMillis >= gapMillis) {
                boolean resume = held;
                reset();
                return resume ? Action.RESUME : Action.NONE;
            }
        }
        return Action.NONE;
    }

    /** True while a sound is being judged (speech heard since the last gap). */
    boolean sounding() {
        return speechMillis > 0;
    }

    /** True while the reply is held for a sound being judged. */
    boolean holding() {
        return held;
    }

    void reset() {
        speechMillis = 0;
        silentMillis = 0;
        held = false;
    }
}
