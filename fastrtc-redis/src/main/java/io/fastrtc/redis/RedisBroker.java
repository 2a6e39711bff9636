package io.fastrtc.redis;

import io.fastrtc.cluster.Broker;
import io.fastrtc.cluster.BrokerException;
import io.fastrtc.internal.Threads;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Broker} of a stream running on several instances that share a Redis (Lettuce client).
 *
 * <pre>{@code
 * Stream stream = Stream.builder()
 *     .video(handler)
 *     .broker(RedisBroker.connect("redis://redis.internal:6379"))
 *     .globalConcurrencyLimit(50)
 *     .build();
 * }</pre>
 *
 * <p>What it keeps in Redis, under the key prefix (default {@code fastrtc:}):
 * <ul>
 *   <li>{@code owner:{webrtc_id}}: the id of the instance owning the connection, with an expiry of
 *       {@link Builder#ownershipTtl} that the owner refreshes every third of it. An instance that
 *       dies stops refreshing, so its connections are released within that time.</li>
 *   <li>{@code slots}: a sorted set of the open connections of every instance, each scored with the
 *       time its owner's last refresh runs out; entries of a dead instance are dropped once that
 *       time has passed, so its slots in the global concurrency count come back.</li>
 *   <li>channel {@code node:{instance}}: requests to an instance (candidates, set_input, ...) and the
 *       answers to its own requests.</li>
 *   <li>channel {@code out:{webrtc_id}}: the connection's additional outputs, and its end.</li>
 * </ul>
 * Claims and releases are Lua scripts, so they are atomic; the scripts build their key names, so
 * use a standalone Redis (or a primary with replicas), not Redis Cluster.
 */
public final class RedisBroker implements Broker {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    /** Published on a connection's output channel when it ends; never valid JSON, so never an output. */
    static final String END = "\u0000end";
    private static final long COMMAND_TIMEOUT_MS = 3000;
    /** A request nobody answers is forgotten after this (callers give up far sooner). */
    private static final long FORGET_AFTER_MINUTES = 10;

    private static final String CLAIM = """
            local prefix, me, id, ttl, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
            local key = prefix .. 'owner:' .. id
            if redis.call('EXISTS', key) == 1 then return 'TAKEN' end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local slots = prefix .. 'slots'
            redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
            if limit > 0 and redis.call('ZCARD', slots) >= limit then return 'FULL' end
            redis.call('SET', key, me, 'PX', ttl)
            redis.call('ZADD', slots, now + ttl, id)
            return 'CLAIMED'
            """;
    private static final String RELEASE = """
            local prefix, me, id, endmark = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local key = prefix .. 'owner:' .. id
            local owner = redis.call('GET', key)
            if owner and owner ~= me then return 0 end
            redis.call('DEL', key)
            redis.call('ZREM', prefix .. 'slots', id)
            redis.call('PUBLISH', prefix .. 'out:' .. id, endmark)
            return 1
            """;
    /** Refreshes this instance's keys; takes back keys Redis lost (a restart); returns ids another instance took. */
    private static final String REFRESH = """
            local prefix, me, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lost = {}
            for i = 4, #ARGV do
              local id = ARGV[i]
              local key = prefix .. 'owner:' .. id
              local owner = redis.call('GET', key)
              if owner and owner ~= me then
                table.insert(lost, id)
              else
                redis.call('SET', key, me, 'PX', ttl)
                redis.call('ZADD', prefix .. 'slots', now + ttl, id)
              end
            end
            return lost
            """;

    private record Sub(Consumer<String> onEvent, Runnable onEnd) {
    }

    private final RedisClient client;
    private final boolean ownsClient;
    private final String prefix;
    private final String instanceId;
    private final Duration ttl;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final Set<String> owned = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Sub>> subscribers = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong correlation = new AtomicLong();
    private final Executor workers = Threads.perTask("fastrtc-redis");
    private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, Threads.daemon("fastrtc-redis-heartbeat"));
    private volatile Node node;
    private volatile boolean closed;

    private RedisBroker(Builder b) {
        this.ownsClient = b.client == null;
        this.client = ownsClient ? RedisClient.create(b.uri) : b.client;
        if (ownsClient) {
            // While disconnected Lettuce would queue commands and run them on reconnect, long after
            // the caller gave up: a refused offer's claim would take its id and a slot then.
            client.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        }
        this.prefix = b.keyPrefix;
        this.instanceId = b.instanceId != null ? b.instanceId : defaultInstanceId();
        this.ttl = b.ttl;
        try {
            RedisURI uri = RedisURI.create(b.uri);
            connection = client.connect(uri);
            pubsub = client.connectPubSub(uri);
        } catch (RuntimeException e) {
            if (ownsClient) {
                client.shutdown();
            }
            throw new BrokerException("Redis at " + b.uri + " cannot be reached: " + e.getMessage(), e);
        }
        redis = connection.async();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onMessage(channel, message);
            }
        });
    }

    /** A broker on the Redis at {@code uri} (e.g. {@code redis://host:6379}) with the default settings. */
    public static RedisBroker connect(String uri) {
        return builder(uri).build();
    }

    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** This instance's id, as stored in the owner keys. */
    public String instanceId() {
        return instanceId;
    }

    /** The Redis key that names the owner of a connection. */
    public String ownerKey(String webrtcId) {
        return prefix + "owner:" + webrtcId;
    }

    /** The Redis sorted set of every instance's open connections (the global concurrency count). */
    public String slotsKey() {
        return prefix + "slots";
    }

    private String nodeChannel(String instance) {
        return prefix + "node:" + instance;
    }

    private String outChannel(String webrtcId) {
        return prefix + "out:" + webrtcId;
    }

    // ---- Broker ----

    @Override
    public void start(Node local) {
        if (node != null) {
            throw new IllegalStateException("this broker already serves a stream; give each stream its own RedisBroker"
                    + " (they may share a RedisClient and use different key prefixes)");
        }
        node = Objects.requireNonNull(local, "local");
        wait(pubsub.async().subscribe(nodeChannel(instanceId)).toCompletableFuture(), "subscribe");
        long period = Math.max(100, ttl.toMillis() / 3);
        timer.scheduleWithFixedDelay(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * {@inheritDoc} A claim that fails (Redis down, or no answer within 3 s) holds nothing: it is
     * withdrawn if it was not sent yet (a shared client may queue it), and released if Redis ran it
     * and only its answer was lost. Releasing is safe: commands on the connection run in order, so
     * the release runs before any later claim of the same id by this instance.
     */
    @Override
    public Claim claim(String webrtcId, int globalLimit) {
        RedisFuture<String> command = redis.eval(CLAIM, ScriptOutputType.STATUS, new String[0], prefix, instanceId,
                webrtcId, Long.toString(ttl.toMillis()), Integer.toString(globalLimit));
        String result;
        try {
            result = wait(command.toCompletableFuture(), "claim");
        } catch (BrokerException e) {
            command.cancel(false);
            redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[0], prefix, instanceId, webrtcId, END)
                    .exceptionally(ignored -> null); // Redis is down: then the claim never ran, or expires with its TTL
            throw e;
        }
        Claim claim = Claim.valueOf(result);
        if (claim == Claim.CLAIMED) {
            owned.add(webrtcId);
        }
        return claim;
    }

    @Override
    public void release(String webrtcId) {
        if (owned.remove(webrtcId)) {
            redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[0], prefix, instanceId, webrtcId, END)
                    .exceptionally(e -> {
                        LOG.warn("{}: release failed; its key expires in {} s", webrtcId, ttl.toSeconds(), e);
                        return null;
                    });
        }
    }

    @Override
    public CompletableFuture<String> request(String webrtcId, String message) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        long id = correlation.incrementAndGet();
        redis.get(ownerKey(webrtcId)).thenCompose(owner -> {
            if (owner == null) {
                return CompletableFuture.completedFuture(0L);
            }
            pending.put(id, answer);
            return redis.publish(nodeChannel(owner), envelope("req:" + instanceId, id, webrtcId, message));
        }).whenComplete((receivers, error) -> {
            if (error != null) {
                answer.completeExceptionally(new BrokerException("Redis failed: " + error.getMessage(), error));
            } else if (receivers == 0) {
                answer.complete(null); // nobody owns it, or its owner is gone
            }
        });
        answer.orTimeout(FORGET_AFTER_MINUTES, TimeUnit.MINUTES).whenComplete((a, e) -> pending.remove(id));
        return answer;
    }

    @Override
    public void publish(String webrtcId, String event) {
        redis.publish(outChannel(webrtcId), event);
    }

    @Override
    public Subscription subscribe(String webrtcId, Consumer<String> onEvent, Runnable onEnd) {
        Sub sub = new Sub(onEvent, onEnd);
        boolean[] first = new boolean[1];
        subscribers.compute(webrtcId, (k, list) -> {
            first[0] = list == null;
            List<Sub> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(sub);
            return l;
        });
        if (first[0]) {
            wait(pubsub.async().subscribe(outChannel(webrtcId)).toCompletableFuture(), "subscribe");
        }
        // Checked after subscribing, so an end published in between is not missed.
        if (wait(redis.exists(ownerKey(webrtcId)).toCompletableFuture(), "exists") == 0) {
            unsubscribe(webrtcId, sub);
            return null;
        }
        return () -> unsubscribe(webrtcId, sub);
    }

    private void unsubscribe(String webrtcId, Sub sub) {
        boolean[] last = new boolean[1];
        subscribers.computeIfPresent(webrtcId, (k, list) -> {
            list.remove(sub);
            last[0] = list.isEmpty();
            return last[0] ? null : list;
        });
        if (last[0] && !closed) {
            pubsub.async().unsubscribe(outChannel(webrtcId));
        }
    }

    private void ended(String webrtcId) {
        List<Sub> subs = subscribers.remove(webrtcId);
        if (subs != null) {
            pubsub.async().unsubscribe(outChannel(webrtcId));
            subs.forEach(s -> s.onEnd().run());
        }
    }

    // ---- messages (on Lettuce's event loop: hand anything slow to a worker) ----

    private static String envelope(String kind, long id, String webrtcId, String payload) {
        return kind + "\n" + id + "\n" + webrtcId + "\n" + payload;
    }

    private void onMessage(String channel, String message) {
        if (channel.equals(nodeChannel(instanceId))) {
            String[] parts = message.split("\n", 4);
            if (parts.length < 4) {
                return;
            }
            long id = Long.parseLong(parts[1]);
            if (parts[0].equals("rep")) {
                CompletableFuture<String> answer = pending.remove(id);
                if (answer != null) {
                    answer.complete(parts[3]);
                }
            } else if (parts[0].startsWith("req:")) {
                String from = parts[0].substring(4);
                workers.execute(() -> answer(from, id, parts[2], parts[3]));
            }
            return;
        }
        String webrtcId = channel.substring(prefix.length() + "out:".length());
        if (message.equals(END)) {
            ended(webrtcId);
            return;
        }
        List<Sub> subs = subscribers.get(webrtcId);
        if (subs != null) {
            subs.forEach(s -> s.onEvent().accept(message));
        }
    }

    private void answer(String from, long id, String webrtcId, String message) {
        String reply;
        try {
            reply = node.serve(webrtcId, message);
        } catch (RuntimeException e) {
            LOG.warn("{}: request from {} failed", webrtcId, from, e);
            return;
        }
        redis.publish(nodeChannel(from), envelope("rep", id, webrtcId, reply));
    }

    // ---- heartbeat ----

    private void heartbeat() {
        try {
            List<String> args = new ArrayList<>(List.of(prefix, instanceId, Long.toString(ttl.toMillis())));
            args.addAll(owned);
            if (args.size() > 3) {
                List<String> lost = wait(redis.<List<String>>eval(REFRESH, ScriptOutputType.MULTI, new String[0],
                        args.toArray(String[]::new)).toCompletableFuture(), "refresh");
                for (String id : lost) {
                    LOG.warn("{}: another instance owns this id now (this one missed its refreshes for {} s); calls by"
                            + " id reach that one", id, ttl.toSeconds());
                }
            }
            // Watched connections whose owner is gone (it died, or its end was missed) end here.
            for (String webrtcId : List.copyOf(subscribers.keySet())) {
                if (wait(redis.exists(ownerKey(webrtcId)).toCompletableFuture(), "exists") == 0) {
                    ended(webrtcId);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed; keys of this instance expire in {} s unless Redis comes back: {}",
                    ttl.toSeconds(), e.getMessage());
        }
    }

    private <T> T wait(CompletableFuture<T> future, String what) {
        try {
            return future.get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted during Redis " + what, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BrokerException("Redis " + what + " failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        List<CompletableFuture<Object>> releases = new ArrayList<>();
        for (String id : List.copyOf(owned)) {
            owned.remove(id);
            releases.add(redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[0], prefix, instanceId, id, END)
                    .toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)).get(COMMAND_TIMEOUT_MS,
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("releasing this instance's connections failed; their keys expire in {} s", ttl.toSeconds());
        }
        pending.values().forEach(f -> f.complete(null));
        pubsub.close();
        connection.close();
        if (ownsClient) {
            client.shutdown();
        }
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Settings of a {@link RedisBroker}. */
    public static final class Builder {
        private final String uri;
        private String keyPrefix = "fastrtc:";
        private Duration ttl = Duration.ofSeconds(15);
        private String instanceId;
        private RedisClient client;

        private Builder(String uri) {
            if (uri == null || !(uri.startsWith("redis://") || uri.startsWith("rediss://")
                    || uri.startsWith("redis-socket://"))) {
                throw new IllegalArgumentException("the Redis URI must look like redis://host:6379 (or rediss://"
                        + " for TLS); got " + uri);
            }
            this.uri = uri;
        }

        /** Prefix of every key and channel (default {@code fastrtc:}); give each stream sharing a Redis its own. */
        public Builder keyPrefix(String prefix) {
            if (prefix == null || prefix.isEmpty() || prefix.contains(" ")) {
                throw new IllegalArgumentException("keyPrefix must be non-empty without spaces, e.g. \"fastrtc:flip:\";"
                        + " got \"" + prefix + "\"");
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * How long an instance's ownership keys live without a refresh (default 15 s): a dead
         * instance's connections and global slots are released within this time.
         */
        public Builder ownershipTtl(Duration ttl) {
            if (ttl == null || ttl.toMillis() < 300) {
                throw new IllegalArgumentException("ownershipTtl must be at least 300 ms; got " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** This instance's name in the owner keys (default host, pid and a random suffix); unique per instance. */
        public Builder instanceId(String id) {
            if (id == null || id.isEmpty() || !id.matches("[\\x21-\\x7e]+")) {
                throw new IllegalArgumentException("instanceId must be printable ASCII without spaces; got \"" + id
                        + "\"");
            }
            this.instanceId = id;
            return this;
        }

        /**
         * A Lettuce client to share (the broker then leaves it open when it closes). Give it
         * {@code ClientOptions.disconnectedBehavior(REJECT_COMMANDS)}, as the broker's own client
         * has: otherwise commands queue while Redis is away (heartbeats, outputs) and run when it is back.
         */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Connects to Redis.
         *
         * @throws BrokerException if Redis cannot be reached
         */
        public RedisBroker build() {
            return new RedisBroker(this);
        }
    }
}
