package dev.caravan.core.plan;

import dev.caravan.core.Threads;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A listing read on a thread of its own, at most {@code capacity} objects ahead of the planner, so that listing the
 * source, listing the target and writing the plan overlap instead of taking turns (a local directory read from a
 * cold disk, a page of a bucket fetched over the network). The order is the listing's. A failure of the listing (an
 * {@link Error} included) is rethrown to the planner, after the objects listed before it. Closing the stream stops
 * the reading thread and waits for it (a request under way is not interrupted) before closing the listing itself.
 * Memory: at most {@code capacity} listed objects.
 *
 * @param <T> what is listed
 */
final class ListingReadAhead<T> implements Iterator<T> {
    /** How far ahead a listing is read: ~1,000 objects, a page of S3 or Azure, about 250 KiB. */
    static final int CAPACITY = 1024;
    private static final Object END = new Object();
    private static final long POLL_MS = 100;

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;
    private Object next;
    private boolean ended;

    private ListingReadAhead(Iterator<T> listing, int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> read(listing), name);
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code listing} read ahead on a thread named {@code name}; closing the result closes {@code listing}. */
    static <T> Stream<T> of(Stream<T> listing, int capacity, String name) {
        ListingReadAhead<T> ahead = new ListingReadAhead<>(listing.iterator(), capacity, name);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(ahead, Spliterator.ORDERED
                | Spliterator.NONNULL), false).onClose(() -> {
                    try {
                        ahead.stop();
                    } finally {
                        listing.close();
                    }
                });
    }

    private void read(Iterator<T> listing) {
        try {
            while (!closed && listing.hasNext()) {
                put(listing.next());
            }
        } catch (Throwable e) { // handed to the planner's thread, which decides
            failure = e;
        }
        put(END);
    }

    private void put(Object item) {
        try {
            while (!closed && !queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
                // the planner is busy: wait for room (or for close)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the listing", e);
        }
        if (item == END) {
            ended = true;
            Throwable e = failure;
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                throw new IllegalStateException("listing failed: " + e, e);
            }
            return false;
        }
        next = item;
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) next;
        next = null;
        return item;
    }

    /** Stops the reading thread and waits until it no longer touches the listing. */
    private void stop() {
        closed = true;
        queue.clear();
        Threads.joinUninterruptibly(thread);
    }
}
