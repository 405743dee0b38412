package dev.caravan.connector.http;

import dev.caravan.api.store.ObjectInfo;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Turns sorted keys into their infos with up to {@code parallel} HEAD requests in flight, in key order: the
 * next keys' requests are sent while the caller works on the current one. Keys whose URL is gone are skipped.
 * Memory: {@code parallel} pending requests. Not thread-safe: one consumer.
 */
final class HeadPipeline implements Iterator<ObjectInfo> {
    private final Iterator<String> keys;
    private final Function<String, CompletableFuture<Optional<ObjectInfo>>> stat;
    private final int parallel;
    private final Deque<CompletableFuture<Optional<ObjectInfo>>> inFlight = new ArrayDeque<>();
    private ObjectInfo next;
    private boolean cancelled;

    HeadPipeline(Iterator<String> keys, Function<String, CompletableFuture<Optional<ObjectInfo>>> stat,
            int parallel) {
        this.keys = keys;
        this.stat = stat;
        this.parallel = Math.max(1, parallel);
    }

    static Stream<ObjectInfo> stream(HeadPipeline pipeline) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pipeline,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    @Override
    public boolean hasNext() {
        while (next == null && !cancelled) {
            while (inFlight.size() < parallel && keys.hasNext()) {
                inFlight.add(stat.apply(keys.next()));
            }
            CompletableFuture<Optional<ObjectInfo>> head = inFlight.poll();
            if (head == null) {
                return false;
            }
            try {
                next = head.get().orElse(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw new IllegalStateException("interrupted while listing", e);
            } catch (ExecutionException e) {
                cancel();
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            }
        }
        return next != null;
    }

    @Override
    public ObjectInfo next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ObjectInfo result = next;
        next = null;
        return result;
    }

    /** Stops: pending requests are cancelled, nothing more is sent. */
    void cancel() {
        cancelled = true;
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
    }
}
