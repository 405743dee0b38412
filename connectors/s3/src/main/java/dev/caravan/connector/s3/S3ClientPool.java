package dev.caravan.connector.s3;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK clients of this process that no store uses at the moment, kept for the next store with the same client
 * settings ({@link Key}: endpoint, region, path style, credentials, request rate, retries, timeouts, connections).
 * A client built from explicit keys stays open for {@link #IDLE} after its store closed, so that the next command of
 * a resident JVM (the command line's daemon) finds it with its connections open and its request pipeline warm:
 * profiled in the daemon, building the two clients of an S3 -> S3 command took ~10 ms of its start, and the first
 * request of a new client ~6 ms more than the next. A client is used by one store at a time (each keeps its own
 * connection pool, as its {@code maxConnections} says). A client whose credentials come from a profile or the default
 * chain is closed with its store, so that the next store reads them afresh. Also remembers whether a server has
 * object tagging, asked once per endpoint and credentials. Thread-safe.
 */
final class S3ClientPool {
    /**
     * How long a client built from explicit keys is kept without a store: the next {@link #acquire} after that closes
     * it instead of taking it (until then its HTTP client's idle-connection reaper closes the connections it keeps).
     */
    static final Duration IDLE = Duration.ofSeconds(60);

    private static final Map<Key, ArrayDeque<Idle>> IDLE_CLIENTS = new HashMap<>(); // guarded by itself
    private static final Map<Key, Boolean> TAGGING = new ConcurrentHashMap<>();

    /** The settings that make two clients the same. */
    record Key(URI endpoint, String region, boolean pathStyle, String profile, String accessKeyId,
            String secretAccessKey, String sessionToken, int requestsPerSecond, int sdkRetries,
            Duration connectTimeout, Duration readTimeout, int maxConnections, boolean requesterPays) {
        static Key of(S3Settings s) {
            return new Key(s.endpoint(), s.region(), s.pathStyle(), s.profile(), s.accessKeyId(),
                    s.secretAccessKey(), s.sessionToken(), s.requestsPerSecond(), s.sdkRetries(), s.connectTimeout(),
                    s.readTimeout(), s.maxConnections(), s.requesterPays());
        }

        boolean keptIdle() {
            return accessKeyId != null;
        }

        @Override
        public String toString() { // never the keys
            return "S3 client of " + endpoint;
        }
    }

    private record Idle(S3Clients.Handle handle, long since) {
    }

    /** A store's client; {@link #close()} gives it back (once). */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private final S3Clients.Handle handle;
        private boolean closed; // guarded by IDLE_CLIENTS

        private Lease(Key key, S3Clients.Handle handle) {
            this.key = key;
            this.handle = handle;
        }

        S3Clients.Handle handle() {
            return handle;
        }

        /** Whether the server has object tagging, when a store of the same client settings asked already. */
        Boolean knownTagging() {
            return TAGGING.get(key);
        }

        void rememberTagging(boolean tagging) {
            TAGGING.put(key, tagging);
        }

        @Override
        public void close() {
            synchronized (IDLE_CLIENTS) {
                if (closed) {
                    return;
                }
                closed = true;
                if (key.keptIdle()) {
                    IDLE_CLIENTS.computeIfAbsent(key, k -> new ArrayDeque<>()).push(new Idle(handle, System.nanoTime()));
                    return;
                }
            }
            handle.close();
        }
    }

    private S3ClientPool() {
    }

    /** A client for {@code settings}: an idle one with equal settings, or a new one. */
    static Lease acquire(S3Settings settings) {
        Key key = Key.of(settings);
        List<S3Clients.Handle> expired = new ArrayList<>();
        S3Clients.Handle reused = null;
        synchronized (IDLE_CLIENTS) {
            takeExpired(System.nanoTime(), expired);
            ArrayDeque<Idle> idle = IDLE_CLIENTS.get(key);
            if (idle != null) {
                reused = idle.pop().handle(); // the most recently used: its connections are the warmest
                if (idle.isEmpty()) {
                    IDLE_CLIENTS.remove(key);
                }
            }
        }
        expired.forEach(S3Clients.Handle::close);
        return new Lease(key, reused != null ? reused : S3Clients.create(settings));
    }

    /** Closes every idle client now (tests; a process that wants its connections closed). */
    static void closeIdle() {
        List<S3Clients.Handle> all = new ArrayList<>();
        synchronized (IDLE_CLIENTS) {
            takeExpired(Long.MAX_VALUE, all);
        }
        all.forEach(S3Clients.Handle::close);
    }

    /** How many idle clients are kept (tests). */
    static int idleCount() {
        synchronized (IDLE_CLIENTS) {
            return IDLE_CLIENTS.values().stream().mapToInt(ArrayDeque::size).sum();
        }
    }

    /** Moves the clients idle since before {@code now - IDLE} (all of them for {@code Long.MAX_VALUE}) to {@code out}. */
    private static void takeExpired(long now, List<S3Clients.Handle> out) {
        for (Iterator<ArrayDeque<Idle>> queues = IDLE_CLIENTS.values().iterator(); queues.hasNext();) {
            ArrayDeque<Idle> queue = queues.next();
            queue.removeIf(i -> {
                boolean expired = now == Long.MAX_VALUE || now - i.since() > IDLE.toNanos();
                if (expired) {
                    out.add(i.handle());
                }
                return expired;
            });
            if (queue.isEmpty()) {
                queues.remove();
            }
        }
    }
}
