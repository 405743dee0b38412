package dev.caravan.core;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the jobs of an iterator on up to {@code threads} threads of its own and hands their results on in the jobs'
 * order, as rclone's checkers do with the requests of a plan: a thousand HEAD requests cost the time of a thousand
 * divided by the threads, and the order stays deterministic. Memory stays bounded: at most {@code 2 x threads} jobs
 * are taken from the iterator ahead of the result handed on. A job made with {@link #ready} is not sent to a thread
 * (its result is known). The first failure of a job is rethrown, as the job would have thrown it, when its result is
 * due; the jobs after it are cancelled. The threads are started when the first job needs one and stopped by
 * {@link #close()}. Not thread-safe: one consumer.
 *
 * @param <R> what a job returns ({@code null} is handed on as it is)
 */
public final class OrderedParallel<R> implements Iterator<R>, AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final Iterator<? extends Callable<R>> jobs;
    private final int threads;
    private final String name;
    private final String what;
    private final ArrayDeque<Future<R>> window = new ArrayDeque<>();
    private ExecutorService pool;

    /**
     * @param jobs    the jobs in the order their results are wanted; pulled on the consumer's thread
     * @param threads how many jobs run at once, at least 1
     * @param name    the start of the threads' names ({@code caravan-NAME-...})
     * @param what    what the jobs do, for errors ("looking up the listed keys")
     */
    public OrderedParallel(Iterator<? extends Callable<R>> jobs, int threads, String name, String what) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.jobs = jobs;
        this.threads = threads;
        this.name = name;
        this.what = what;
    }

    /** A job whose result is known already: it keeps its place in the order without a thread. */
    public static <R> Callable<R> ready(R result) {
        return new Ready<>(result);
    }

    private record Ready<R>(R result) implements Callable<R> {
        @Override
        public R call() {
            return result;
        }
    }

    @Override
    public boolean hasNext() {
        while (window.size() < 2 * threads && jobs.hasNext()) {
            Callable<R> job = jobs.next();
            window.add(job instanceof Ready<R> known ? CompletableFuture.completedFuture(known.result())
                    : pool().submit(job));
        }
        return !window.isEmpty();
    }

    @Override
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return await(window.poll());
    }

    private ExecutorService pool() {
        if (pool == null) {
            int id = POOLS.incrementAndGet();
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "caravan-" + name + "-" + id + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private R await(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw MigrationException.transientError("interrupted while " + what, e);
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // as the job would have thrown it in the consumer's thread
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MigrationException(ErrorKind.FATAL, what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Cancels the jobs under way and stops the threads. */
    @Override
    public void close() {
        Future<?> f;
        while ((f = window.poll()) != null) {
            f.cancel(true);
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
