package io.fastrtc.turn;

import io.fastrtc.audio.AudioFrame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The streaming end-of-turn state machine of {@link Endpointing}, driven by input frames and their
 * speech decisions; its clock is the audio itself (the sum of frame durations), so it behaves the
 * same on a loaded machine and in tests. A turn opens after {@code minSpeech} of speech (gaps under
 * {@value #GAP_MS} ms allowed) and keeps {@value #PRE_SPEECH_MS} ms of audio from before it; it
 * ends after the silence {@link Endpointing#silenceFor} gives, counted from where the audio went
 * silent (see {@link #accept(AudioFrame, boolean, double)}), or at {@code maxTurn}. Not thread-safe.
 */
final class Endpointer {

    /** What a frame changed. */
    enum Event {
        NONE,
        /** Enough speech: a turn is open. */
        STARTED,
        /** Speech stopped in an open turn: ask the turn model, start a preemptive reply. */
        STOPPED,
        /** Speech came back before the turn ended. */
        RESUMED,
        /** The turn is over; {@link #takeTurn()} has its audio. */
        ENDED
    }

    /** Makes a turn's audio from its frames and {@code preceding}, the frame heard just before them (null: none). */
    interface TurnAudio {
        AudioFrame of(AudioFrame preceding, List<AudioFrame> frames);
    }

    static final int GAP_MS = 150;
    static final int PRE_SPEECH_MS = 300;

    private final Endpointing options;
    /** Audio kept before a turn opens: enough for the speech that opens it, or that interrupted a reply. */
    private final double keepMillis;
    private final ArrayDeque<AudioFrame> before = new ArrayDeque<>();
    private double beforeMillis;
    private final List<AudioFrame> turn = new ArrayList<>();
    /** The frame heard just before the first one kept ({@code before}'s, or the open turn's). */
    private AudioFrame preceding;
    private TurnAudio audio = (previous, frames) -> concat(frames);
    private double turnMillis;
    private boolean open;
    private double candidateMillis;
    private double candidateGapMillis;
    private double silenceMillis;
    private boolean stopped;
    /** Counts the stops of speech, so a late answer about an earlier one is ignored. */
    private long stop;
    private double probability = Double.NaN;
    private boolean answered;
    private AudioFrame ended;

    Endpointer(Endpointing options) {
        this(options, Duration.ZERO);
    }

    /** @param interruption the speech that interrupts a reply, which {@link #startNow()} makes the start of a turn */
    Endpointer(Endpointing options, Duration interruption) {
        this.options = options;
        long onset = Math.max(options.minSpeech().toMillis(), interruption.toMillis());
        this.keepMillis = PRE_SPEECH_MS + onset + GAP_MS;
    }

    /** How turns' audio is made (by default the frames as they are). */
    void turnAudio(TurnAudio audio) {
        this.audio = audio;
    }

    /** A frame and its speech decision, the pause (if it is none) counted from the start of the frame. */
    Event accept(AudioFrame frame, boolean speech) {
        return accept(frame, speech, frame.durationMillis());
    }

    /**
     * A frame and its speech decision; {@code silentMillis}: if it is no speech, how long the audio has
     * been silent up to the frame's end ({@link SpeechGate#silentMillis()}). A pause is counted from
     * there, not from the frame that reported it, so the turn ends on the first frame that completes
     * the silence in the audio itself.
     */
    Event accept(AudioFrame frame, boolean speech, double silentMillis) {
        double millis = frame.durationMillis();
        if (!open) {
            return opening(frame, speech, millis);
        }
        turn.add(frame);
        turnMillis += millis;
        if (turnMillis >= options.maxTurn().toMillis()) {
            return end();
        }
        if (speech) {
            boolean resumed = stopped;
            stopped = false;
            silenceMillis = 0;
            return resumed ? Event.RESUMED : Event.NONE;
        }
        if (!stopped) {
            silenceMillis = Math.min(silentMillis, turnMillis);
            stopped = true;
            stop++;
            answered = false;
            probability = Double.NaN;
            return Event.STOPPED;
        }
        silenceMillis += millis;
        return silenceMillis >= options.silenceFor(probability, answered).toNanos() / 1e6 ? end() : Event.NONE;
    }

    /** How long the open turn's pause has lasted, in ms of audio (0 while the user talks). */
    double silenceMillis() {
        return silenceMillis;
    }

    private Event opening(AudioFrame frame, boolean speech, double millis) {
        before.add(frame);
        beforeMillis += millis;
        while (beforeMillis - before.peekFirst().durationMillis() >= keepMillis) {
            preceding = before.removeFirst();
            beforeMillis -= preceding.durationMillis();
        }
        if (!speech) {
            if (candidateMillis > 0) {
                candidateGapMillis += millis;
                if (candidateGapMillis >= GAP_MS) {
                    candidateMillis = 0;
                }
            }
            return Event.NONE;
        }
        candidateGapMillis = 0;
        candidateMillis += millis;
        return candidateMillis < options.minSpeech().toNanos() / 1e6 ? Event.NONE : startNow();
    }

    /** Opens a turn now, from the audio kept before it (the speech that just interrupted a reply). */
    Event startNow() {
        if (open || before.isEmpty()) {
            return Event.NONE;
        }
        open = true;
        turn.addAll(before);
        turnMillis = beforeMillis;
        before.clear();
        beforeMillis = 0;
        candidateMillis = 0;
        return Event.STARTED;
    }

    private Event end() {
        ended = audio.of(preceding, turn);
        reset();
        return Event.ENDED;
    }

    /** The model's answer for stop number {@code forStop}; ignored if speech came back since. */
    void answer(long forStop, double p) {
        if (open && stopped && forStop == stop) {
            probability = p;
            answered = true;
        }
    }

    /** The number of the latest stop of speech (see {@link #answer}). */
    long stop() {
        return stop;
    }

    boolean open() {
        return open;
    }

    /** The open turn so far (for the turn model and a preemptive reply). */
    AudioFrame turnSoFar() {
        return audio.of(preceding, turn);
    }

    /** The audio of the turn that just {@link Event#ENDED}, once. */
    AudioFrame takeTurn() {
        AudioFrame t = ended;
        ended = null;
        return t;
    }

    /** Forgets the open turn, if any. */
    void reset() {
        if (!turn.isEmpty()) {
            preceding = turn.get(turn.size() - 1);
        }
        turn.clear();
        turnMillis = 0;
        open = false;
        stopped = false;
        silenceMillis = 0;
        candidateMillis = 0;
        candidateGapMillis = 0;
        probability = Double.NaN;
        answered = false;
    }

    static AudioFrame concat(List<AudioFrame> frames) {
        AudioFrame first = frames.get(0);
        int samples = 0;
        for (AudioFrame f : frames) {
            samples += f.samplesPerChannel() * f.channels();
        }
        short[] all = new short[samples];
        int at = 0;
        for (AudioFrame f : frames) {
            short[] s = f.toPcm16();
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        return AudioFrame.ofPcm16(first.sampleRate(), first.channels(), all);
    }
}
