package io.fastrtc.stream;

import io.fastrtc.cluster.Broker;
import io.fastrtc.engine.VideoInput;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of one stream on this instance: those open, and the ids admitted whose session is
 * still being created (both count against the limits). Its monitor is the lock {@link Admission}
 * holds and waits on for a slot; every change of the count notifies it. A session that leaves gives
 * its place back to the runtime's count and its id back to the broker.
 */
final class ConnectionRegistry {

    private final Map<String, Session> open = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final Set<String> reserved = new HashSet<>();
    private final FastRtc runtime;
    private final Broker broker;
    /** Told when a session joins or leaves, for the outputs subscribers waiting for it. */
    private final EarlySubscribers early;

    ConnectionRegistry(FastRtc runtime, Broker broker, EarlySubscribers early) {
        this.runtime = runtime;
        this.broker = broker;
        this.early = early;
    }

    /** Whether the id is open or being created here; call with the lock held. */
    boolean has(String id) {
        return open.containsKey(id) || reserved.contains(id);
    }

    /** Sessions open or being created; call with the lock held. */
    int size() {
        return open.size() + reserved.size();
    }

    /** Holds a place for a session about to be created; call with the lock held. */
    void reserve(String id) {
        reserved.add(id);
    }

    /** Ends a reservation: {@code session} joins, or, when null, the place is given back. */
    synchronized void settle(String id, Session session) {
        reserved.remove(id);
        if (session != null) {
            open.put(id, session);
            early.arrived(id);
        } else {
            release(id);
        }
        notifyAll();
    }

    /** A session closed: its place is free (once, whoever calls). */
    synchronized void forget(Session session) {
        if (open.remove(session.webrtcId(), session)) {
            early.ended(session.webrtcId());
            release(session.webrtcId());
        }
        notifyAll();
    }

    /** Gives a place back to the runtime's count and the id back to the broker. */
    void release(String id) {
        runtime.sessions().decrementAndGet();
        broker.release(id);
    }

    boolean contains(String id) {
        return open.containsKey(id);
    }

    /** The session with this id, open or closing, or null. */
    Session get(String id) {
        return id == null ? null : open.get(id);
    }

    /** The open session with this id, or null. */
    Session local(String id) {
        Session session = get(id);
        return session == null || session.isClosed() ? null : session;
    }

    Set<String> ids() {
        return Set.copyOf(open.keySet());
    }

    Collection<Session> sessions() {
        return open.values();
    }

    List<Session> snapshot() {
        return List.copyOf(open.values());
    }

    /** {@link Stream#stats()} over the open sessions. */
    Stream.Stats stats(long refused, double cpuPerStream) {
        long received = 0;
        long replaced = 0;
        long stale = 0;
        int scaledDown = 0;
        for (Session session : open.values()) {
            VideoInput in = session.pipeline().videoInput();
            if (in != null) {
                received += in.received();
                replaced += in.dropped();
                stale += in.stale();
            }
            scaledDown += session.pipeline().sendScale() > 1 ? 1 : 0;
        }
        return new Stream.Stats(open.size(), refused, received, replaced, stale, scaledDown, cpuPerStream);
    }
}
