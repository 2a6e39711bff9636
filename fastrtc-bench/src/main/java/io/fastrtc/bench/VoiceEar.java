package io.fastrtc.bench;

import io.fastrtc.testing.TestPeer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the client heard, told apart by reply: every reply of the bench is a tone of one of
 * {@link #TONES} (consecutive replies differ), so the client sees when <em>this</em> reply stopped
 * even if the next one starts at once. Each received 10 ms frame gets its level (RMS) and the
 * amplitude of each tone (a Hann-windowed Goertzel filter), once.
 */
final class VoiceEar {

    /** Reply tones, three 100 Hz bins apart in a 10 ms frame at 48 kHz, so a Hann window keeps them apart. */
    static final int[] TONES = {300, 600, 900, 1200};
    /** A frame louder than this (RMS of 16-bit samples) is reply audio; the replies are at about 9000. */
    static final double LOUD = 1500;
    /** A tone at least this loud (peak, 16-bit) is present; a reply's tone is about 13000. */
    private static final double PRESENT = 3000;

    private final TestPeer peer;
    private final List<Long> nanos = new ArrayList<>();
    private final List<double[]> levels = new ArrayList<>();
    private final List<Double> rms = new ArrayList<>();
    private double[] hann = new double[0];

    VoiceEar(TestPeer peer) {
        this.peer = peer;
    }

    /** Analyses what arrived since the last call. */
    private synchronized void sync() {
        List<TestPeer.Heard> heard = peer.heard();
        for (int i = nanos.size(); i < heard.size(); i++) {
            TestPeer.Heard h = heard.get(i);
            short[] s = h.frame().toMono().toPcm16();
            double[] tones = new double[TONES.length]; // the listener's only work: keeps the client light
            for (int t = 0; t < TONES.length; t++) {
                tones[t] = amplitude(s, h.frame().sampleRate(), TONES[t]);
            }
            nanos.add(h.nanos());
            levels.add(tones);
            rms.add(h.rms());
        }
    }

    private double amplitude(short[] s, int rate, int hz) {
        if (hann.length != s.length) {
            hann = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / Math.max(1, s.length - 1));
            }
        }
        double coeff = 2 * Math.cos(2 * Math.PI * hz / rate);
        double a = 0;
        double b = 0;
        double window = 0;
        for (int i = 0; i < s.length; i++) {
            double w = hann[i];
            window += w;
            double next = s[i] * w + coeff * a - b;
            b = a;
            a = next;
        }
        double power = a * a + b * b - coeff * a * b;
        return window == 0 ? 0 : 2 * Math.sqrt(Math.max(0, power)) / window;
    }

    /** The index of the first frame that arrived at or after {@code nanos} (arrivals are in order). */
    private int from(long nanos) {
        int lo = 0;
        int hi = this.nanos.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (this.nanos.get(mid) < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Arrival of the first loud frame after {@code since}, or -1 after {@code timeoutMillis}. */
    long firstLoud(long since, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        do {
            long found = firstLoud(since);
            if (found > 0) {
                return found;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        return -1;
    }

    private synchronized long firstLoud(long since) {
        sync();
        for (int i = from(since + 1); i < nanos.size(); i++) {
            if (rms.get(i) > LOUD) {
                return nanos.get(i);
            }
        }
        return -1;
    }

    /** True if a loud frame arrived in [{@code from}, {@code to}]. */
    synchronized boolean loudIn(long from, long to) {
        sync();
        for (int i = from(from); i < nanos.size() && nanos.get(i) <= to; i++) {
            if (rms.get(i) > LOUD) {
                return true;
            }
        }
        return false;
    }

    /** Arrival of the latest loud frame, or 0. */
    synchronized long lastLoud() {
        sync();
        for (int i = nanos.size() - 1; i >= 0; i--) {
            if (rms.get(i) > LOUD) {
                return nanos.get(i);
            }
        }
        return 0;
    }

    /**
     * The tone (index into {@link #TONES}) of the reply playing now, or -1 if none was heard in the
     * last 200 ms (on a loaded machine the client's listening thread may be that late).
     */
    synchronized int playing() {
        sync();
        long recent = System.nanoTime() - 200_000_000L;
        for (int i = nanos.size() - 1; i >= 0 && nanos.get(i) >= recent; i--) {
            int t = dominant(levels.get(i));
            if (t >= 0) {
                return t;
            }
        }
        return -1;
    }

    private static int dominant(double[] tones) {
        int best = -1;
        for (int t = 0; t < tones.length; t++) {
            if (tones[t] >= PRESENT && (best < 0 || tones[t] > tones[best])) {
                best = t;
            }
        }
        return best;
    }

    /**
     * Arrival of the first frame after {@code since} that starts {@code quietMillis} without
     * {@code tone}, or -1 after {@code timeoutMillis}.
     */
    long gone(int tone, long since, int quietMillis, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        do {
            long found = gone(tone, since, quietMillis);
            if (found > 0) {
                return found;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return -1;
    }

    private synchronized long gone(int tone, long since, int quietMillis) {
        sync();
        int run = 0;
        for (int i = from(since + 1); i < nanos.size(); i++) {
            run = levels.get(i)[tone] < PRESENT ? run + 1 : 0;
            if (run * 10 >= quietMillis) {
                return nanos.get(i - run + 1);
            }
        }
        return -1;
    }

    /** True if {@code tone} was heard in [{@code from}, {@code to}]. */
    synchronized boolean heard(int tone, long from, long to) {
        sync();
        for (int i = from(from); i < nanos.size() && nanos.get(i) <= to; i++) {
            if (levels.get(i)[tone] >= PRESENT) {
                return true;
            }
        }
        return false;
    }

    /** True if a reply other than {@code tone} was heard in [{@code from}, {@code to}]. */
    boolean otherReply(int tone, long from, long to) {
        int[] frames = replies(from, to);
        for (int t = 0; t < frames.length; t++) {
            if (t != tone && frames[t] >= 3) {
                return true;
            }
        }
        return false;
    }

    /** How many different replies (tones heard in at least 3 frames) were heard in [{@code from}, {@code to}]. */
    int replyCount(long from, long to) {
        int n = 0;
        for (int frames : replies(from, to)) {
            n += frames >= 3 ? 1 : 0;
        }
        return n;
    }

    /** Frames in [{@code from}, {@code to}] in which each tone was the loudest. */
    private synchronized int[] replies(long from, long to) {
        sync();
        int[] frames = new int[TONES.length];
        for (int i = from(from); i < nanos.size() && nanos.get(i) <= to; i++) {
            int t = dominant(levels.get(i));
            if (t >= 0) {
                frames[t]++;
            }
        }
        return frames;
    }

    /** The longest run, in ms, without {@code tone} in [{@code from}, {@code to}]. */
    synchronized int longestGap(int tone, long from, long to) {
        sync();
        int run = 0;
        int longest = 0;
        for (int i = from(from); i < nanos.size() && nanos.get(i) <= to; i++) {
            run = levels.get(i)[tone] < PRESENT ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest * 10;
    }
}
