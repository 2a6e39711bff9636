package io.fastrtc.stream;

import io.fastrtc.internal.Pacer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the output of every session whose sink {@link AudioSink#neverBlocks() never blocks} (a
 * WebRTC track) from one platform thread, every 10 ms ({@link Playback#tick}), instead of a thread
 * per session. A track is fed 100 frames a second for as long as its session lasts (silence
 * between replies), and a thread per session waking 100 times a second cost a busy voice server
 * more CPU than the ticks' own work. What each session gets is what its own thread gave it: a
 * session with nothing to play and nothing ahead at its client is skipped until audio comes
 * ({@link Playback#idle()}); audio that comes into an empty queue gets that session an extra tick
 * at once, and the ticks keep their schedule; after more than 10 late ticks the schedule resumes
 * from now. The thread ends when the last session does. A sink that blocked would hold up every
 * session, which is why only those that never block are played here.
 */
final class PlayoutClock {

    /** The clock of the process; its thread runs while some session plays. */
    static final PlayoutClock SHARED = new PlayoutClock("fastrtc-playout");

    private static final Logger LOG = LoggerFactory.getLogger(PlayoutClock.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final String name;
    private final Set<Player> players = ConcurrentHashMap.newKeySet();
    /** Players whose queue just got audio: ticked at once, between the regular ticks. */
    private final ConcurrentLinkedQueue<Player> woken = new ConcurrentLinkedQueue<>();
    /** Running while there are players; guarded by {@code this} (read without it to wake it). */
    private volatile Thread thread;

    PlayoutClock(String name) {
        this.name = name;
    }

    /**
     * Plays {@code playback} to {@code out} from now until {@code closed} says so (or a tick fails,
     * which is logged, as the end of its own thread was).
     */
    void add(Playback playback, AudioSink out, BooleanSupplier closed) {
        Player player = new Player(playback, out, closed);
        playback.start(out, System.nanoTime(), () -> {
            woken.add(player);
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        });
        synchronized (this) {
            players.add(player);
            if (thread == null) {
                Thread t = new Thread(this::run, name);
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        }
    }

    /** Sessions played, closed ones included until the next tick drops them. */
    int players() {
        return players.size();
    }

    private void run() {
        Pacer pacer = new Pacer(TICK_NANOS, 10 * TICK_NANOS);
        while (true) {
            synchronized (this) {
                if (players.isEmpty()) {
                    thread = null; // the next session starts another
                    woken.clear();
                    return;
                }
            }
            woken.clear(); // every player is ticked now
            for (Player player : players) {
                if (player.closed().getAsBoolean()) {
                    players.remove(player);
                } else if (!player.playback().idle()) {
                    tick(player);
                }
            }
            try {
                while (!pacer.awaitOrWake()) {
                    for (Player player = woken.poll(); player != null; player = woken.poll()) {
                        if (players.contains(player)) {
                            tick(player);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.interrupted(); // nobody interrupts this thread; the next tick goes on
            }
        }
    }

    private void tick(Player player) {
        try {
            player.playback().tick(player.out(), System.nanoTime());
        } catch (RuntimeException e) {
            players.remove(player);
            LOG.error("audio playout failed; that session plays nothing more", e);
        }
    }

    /** Compared by its parts; a playback is added once, so no two players are equal. */
    private record Player(Playback playback, AudioSink out, BooleanSupplier closed) {
    }
}
