package io.fastrtc.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where the connections of a stream are found when the stream runs on several instances behind a
 * load balancer. A peer connection and its handler live in the instance that answered its offer
 * (the owner); the calls that follow it by {@code webrtc_id} (trickled candidates, set_input,
 * output streams) may reach any instance, and the broker carries them to the owner.
 *
 * <p>{@link InMemoryBroker} (the default) serves one process; {@code io.fastrtc.redis.RedisBroker}
 * (module {@code fastrtc-redis}) serves instances sharing a Redis. A broker serves one stream, which
 * calls {@link #start} once and closes the broker when it closes. Messages are opaque text made by
 * the stream; a broker only carries them.
 */
public interface Broker extends AutoCloseable {

    /** The outcome of {@link #claim}. */
    enum Claim {
        /** This instance owns the id now. */
        CLAIMED,
        /** An instance (maybe this one) already owns the id: FastRTC's {@code connection_already_exists}. */
        TAKEN,
        /** The global concurrency limit is reached. */
        FULL
    }

    /** The owner side: answers what other instances send to connections this instance owns. */
    @FunctionalInterface
    interface Node {
        /** Answers {@code message} for the local connection {@code webrtcId}; may block. */
        String serve(String webrtcId, String message);
    }

    /** A subscription to a connection's published events. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Called once by the stream this broker serves, before anything else. */
    void start(Node local);

    /**
     * Makes this instance the owner of {@code webrtcId}, unless another connection has that id on
     * any instance, or {@code globalLimit} connections (if positive) are open across all instances.
     *
     * @throws BrokerException if the shared store cannot be reached
     */
    Claim claim(String webrtcId, int globalLimit);

    /** Gives up the ownership (and global slot) of a closed connection, and ends its subscriptions. */
    void release(String webrtcId);

    /**
     * Sends {@code message} to the instance owning {@code webrtcId}; completes with its answer, or
     * with null when no instance owns that id.
     */
    CompletableFuture<String> request(String webrtcId, String message);

    /** Publishes an event of a connection this instance owns to its subscribers on every instance. */
    void publish(String webrtcId, String event);

    /**
     * Receives the events {@link #publish}ed for {@code webrtcId} from now on; {@code onEnd} runs once
     * when the connection is released or its owner is gone.
     *
     * @return the subscription, or null when no instance owns that id
     */
    Subscription subscribe(String webrtcId, Consumer<String> onEvent, Runnable onEnd);

    /** Releases what this instance owns and stops; idempotent. */
    @Override
    void close();
}
