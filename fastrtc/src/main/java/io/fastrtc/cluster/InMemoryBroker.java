package io.fastrtc.cluster;

import io.fastrtc.internal.Threads;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The broker of a stream that runs in one process (the default): ownership and events stay in memory.
 * {@link #peer()} makes a broker sharing the same store, which behaves as another instance of the
 * stream would through Redis; two streams built with a broker and its peer act as one stream on two
 * instances.
 */
public final class InMemoryBroker implements Broker {

    /** What the brokers of one store share. */
    private static final class Store {
        final Map<String, InMemoryBroker> owners = new ConcurrentHashMap<>();
        final Map<String, List<Sub>> subscribers = new ConcurrentHashMap<>();
        final Executor executor = Threads.perTask("fastrtc-broker");
    }

    private record Sub(Consumer<String> onEvent, Runnable onEnd) {
    }

    private final Store store;
    private volatile Node node;
    private volatile boolean closed;

    public InMemoryBroker() {
        this(new Store());
    }

    private InMemoryBroker(Store store) {
        this.store = store;
    }

    /** Another broker on this one's store, as another instance of the stream. */
    public InMemoryBroker peer() {
        return new InMemoryBroker(store);
    }

    @Override
    public void start(Node local) {
        if (node != null) {
            throw new IllegalStateException("this broker already serves a stream; give each stream its own broker"
                    + " (InMemoryBroker.peer() for another instance on the same store)");
        }
        node = Objects.requireNonNull(local, "local");
    }

    @Override
    public Claim claim(String webrtcId, int globalLimit) {
        synchronized (store) {
            if (store.owners.containsKey(webrtcId)) {
                return Claim.TAKEN;
            }
            if (globalLimit > 0 && store.owners.size() >= globalLimit) {
                return Claim.FULL;
            }
            store.owners.put(webrtcId, this);
            return Claim.CLAIMED;
        }
    }

    @Override
    public void release(String webrtcId) {
        if (store.owners.remove(webrtcId, this)) {
            List<Sub> subs = store.subscribers.remove(webrtcId);
            if (subs != null) {
                subs.forEach(s -> s.onEnd().run());
            }
        }
    }

    @Override
    public CompletableFuture<String> request(String webrtcId, String message) {
        InMemoryBroker owner = store.owners.get(webrtcId);
        if (owner == null || owner.node == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> owner.node.serve(webrtcId, message), store.executor);
    }

    @Override
    public void publish(String webrtcId, String event) {
        List<Sub> subs = store.subscribers.get(webrtcId);
        if (subs != null) {
            subs.forEach(s -> s.onEvent().accept(event));
        }
    }

    @Override
    public Subscription subscribe(String webrtcId, Consumer<String> onEvent, Runnable onEnd) {
        Sub sub = new Sub(onEvent, onEnd);
        synchronized (store) {
            if (!store.owners.containsKey(webrtcId)) {
                return null;
            }
            store.subscribers.computeIfAbsent(webrtcId, k -> new CopyOnWriteArrayList<>()).add(sub);
        }
        return () -> store.subscribers.computeIfPresent(webrtcId, (k, list) -> {
            list.remove(sub);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Map.Entry<String, InMemoryBroker> e : List.copyOf(store.owners.entrySet())) {
            if (e.getValue() == this) {
                release(e.getKey());
            }
        }
    }
}
