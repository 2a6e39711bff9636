package io.fastrtc.bench;

import io.fastrtc.audio.AudioFrame;
import io.fastrtc.testing.TestPeer;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of one mode's script: says things, waits for what should follow, and records
 * what it heard into a {@link VoiceModes.Result}. Times are {@code System.nanoTime()} at the client:
 * when its microphone track sent the first or last 10 ms of an utterance, when a frame of reply
 * audio came out of its jitter buffer.
 */
final class VoiceTrials {

    /** A reply long enough to play two short sounds and an interruption over. */
    private static final int LONG_REPLY_MS = 8000;
    private static final int SHORT_REPLY_MS = 300;
    private static final long MS = 1_000_000L;
    /** How long after a short sound ends its effect is judged (FastRTC's mode may take two 0.6 s chunks). */
    private static final long JUDGE_MILLIS = 1600;
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    private final TestPeer peer;
    private final VoiceEar ear;
    private final VoiceModes.Script script;
    private final VoiceModes.Result result;
    private final VoiceTaps taps;

    VoiceTrials(TestPeer peer, VoiceEar ear, VoiceModes.Script script, VoiceModes.Result result, VoiceTaps taps) {
        this.peer = peer;
        this.ear = ear;
        this.script = script;
        this.result = result;
        this.taps = taps;
    }

    /**
     * Turn latency: the question's last audio sent → the reply's first audio heard. False if unanswered.
     * Also its legs, from the server's {@link VoiceTaps}: uplink (the question's last loud 10 ms sent →
     * where the server's input went quiet), the server's (→ the reply's first audio handed to the output;
     * of which, until the reply function was called), downlink (→ heard at the client).
     */
    boolean question(AudioFrame question) throws InterruptedException {
        script.replyMillis = LONG_REPLY_MS;
        long[] said = say(question);
        long end = said[1];
        long onset = ear.firstLoud(end, 6000);
        if (onset < 0) {
            result.missed++;
            return false;
        }
        result.turn.add(log("turn", (onset - end) / 1e6));
        VoiceTaps.Turn t = taps.after(said[0]);
        if (t != null) {
            long lastLoud = end - (long) (VoiceTaps.quietTailMillis(question) * MS);
            result.uplink.add((t.speechEnd - lastLoud) / 1e6);
            result.server.add((t.firstAudio - t.speechEnd) / 1e6);
            result.untilCalled.add((t.called - t.speechEnd) / 1e6);
            result.downlink.add((onset - t.firstAudio) / 1e6);
            System.out.printf(java.util.Locale.ROOT, "    uplink %.0f, server %.0f (called at %.0f), downlink %.0f ms%n",
                    (t.speechEnd - lastLoud) / 1e6, (t.firstAudio - t.speechEnd) / 1e6,
                    (t.called - t.speechEnd) / 1e6, (onset - t.firstAudio) / 1e6);
        }
        Thread.sleep(500); // the reply plays a little before anything is said over it
        return true;
    }

    /**
     * A short sound over the reply: a false interruption if the reply stopped for good or another
     * reply (to the sound, taken as a turn) was heard; a pause if it went quiet and came back.
     */
    void noise(VoiceAudio.Noise noise) throws InterruptedException {
        int tone = ear.playing();
        if (tone < 0) {
            result.skipped++;
            return;
        }
        long[] said = say(noise.audio());
        long judged = said[1] + JUDGE_MILLIS * MS;
        sleepUntil(judged + 100 * MS);
        if (noise.backchannel()) {
            result.backchannels++;
        } else {
            result.noises++;
        }
        if (!ear.heard(tone, judged - 200 * MS, judged) || ear.otherReply(tone, said[0], judged)) {
            result.falseInterruptions.add(noise.name());
            System.out.println("  false interruption: " + noise.name());
        } else {
            int gap = ear.longestGap(tone, said[0], judged);
            if (gap >= 100) {
                result.paused++;
                result.pauses.add((int) log("paused by " + noise.name(), gap));
            }
        }
        Thread.sleep(300);
    }

    /**
     * Interruption latency: the interrupting phrase's first audio sent → the reply's tone gone for
     * 100 ms; then the answer to the phrase.
     */
    void interrupt(AudioFrame phrase) throws InterruptedException {
        int tone = ear.playing();
        script.replyMillis = SHORT_REPLY_MS;
        if (tone < 0) {
            result.skipped++;
            return;
        }
        long before = peer.speechStartedNanos();
        peer.say(phrase);
        long start = startedAfter(before);
        long gone = ear.gone(tone, start, 100, 5000);
        if (gone > 0) {
            result.interrupt.add(log("interruption", (gone - start) / 1e6));
        } else {
            result.missed++;
        }
        answer(endedAfter(start));
    }

    /**
     * A sentence with a pause longer than the silence: premature if a reply was heard before its end
     * (plus the time an answer to it could not yet have come back), or more than one reply to it.
     */
    void paused(VoiceAudio.Paused sentence) throws InterruptedException {
        script.replyMillis = SHORT_REPLY_MS;
        script.unfinishedBelowMillis = sentence.before().durationMillis() + 1200; // the kept audio (< 1 s) and the first half
        long before = peer.speechStartedNanos();
        peer.say(sentence.before().concat(AudioFrame.silence(48000, 1, VoiceAudio.PAUSE_MS)));
        peer.say(sentence.after());
        long start = startedAfter(before);
        long end = endedAfter(startedAfter(start));
        answer(end);
        settle();
        script.unfinishedBelowMillis = 0;
        result.sentences++;
        if (ear.loudIn(start, end + 150 * MS) || ear.replyCount(start, System.nanoTime()) > 1) {
            result.premature++;
            System.out.println("  premature turn: " + sentence.text());
        }
    }

    /** Waits for the answer to what ended at {@code end}, so that it is not heard during the next trial. */
    private void answer(long end) throws InterruptedException {
        if (ear.firstLoud(end, 6000) < 0) {
            result.missed++;
        }
    }

    private static double log(String what, double millis) {
        System.out.printf(java.util.Locale.ROOT, "  %s %.0f ms%n", what, millis);
        return millis;
    }

    /** Waits until nothing is being said or played: 600 ms quiet, and 1.3 s after the last speech (FastRTC's chunks). */
    void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (!peer.speaking() && now - peer.speechEndedNanos() > 1300 * MS && now - ear.lastLoud() > 600 * MS) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Says {@code audio}; returns when its first and last 10 ms were sent. */
    private long[] say(AudioFrame audio) throws InterruptedException {
        long before = peer.speechStartedNanos();
        peer.say(audio);
        long start = startedAfter(before);
        return new long[] {start, endedAfter(start)};
    }

    private long startedAfter(long previous) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT;
        while (peer.speechStartedNanos() == previous) {
            tick(deadline);
        }
        return peer.speechStartedNanos();
    }

    private long endedAfter(long start) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT;
        while (peer.speechEndedNanos() < start) {
            tick(deadline);
        }
        return peer.speechEndedNanos();
    }

    private static void tick(long deadline) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the client's microphone stopped sending");
        }
        Thread.sleep(2);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
