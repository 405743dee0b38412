package dev.caravan.core;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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

    /**
     * The push-style form, for a producer that is not an iterator (a merge-join): jobs given one at a time with
     * {@link Pushed#submit} or {@link Pushed#ready}, their results handed to {@code sink} in that order on the
     * producer's thread; at most {@code 2 x threads} wait. {@code threads} below 1 is refused as USER_CONFIG naming
     * {@code option}, the setting it came from.
     */
    public static <R> Pushed<R> pushed(int threads, String option, String name, String what, Consumer<R> sink) {
        if (threads < 1) {
            throw MigrationException.userConfig(option + " must be 1 or more, got " + threads);
        }
        return new Pushed<>(new OrderedParallel<>(Collections.emptyIterator(), threads, name, what), sink);
    }

    /** Jobs given one at a time, results handed on in order ({@link #pushed}). Used by one thread. */
    public static final class Pushed<R> implements AutoCloseable {
        private final OrderedParallel<R> work;
        private final Consumer<R> sink;

        private Pushed(OrderedParallel<R> work, Consumer<R> sink) {
            this.work = work;
            this.sink = sink;
        }

        /** Runs {@code job} on a thread; hands on the results due while more than the window waits. */
        public void submit(Callable<R> job) {
            work.enqueue(job);
            drain(2 * work.threads);
        }

        /** A result known at once, handed on in its place. */
        public void ready(R result) {
            submit(OrderedParallel.ready(result));
        }

        /** Waits for every job and hands on the remaining results. */
        public void finish() {
            drain(0);
        }

        private void drain(int keep) {
            while (work.window.size() > keep) {
                sink.accept(work.next());
            }
        }

        @Override
        public void close() {
            work.close();
        }
    }

    @Override
    public boolean hasNext() {
        while (window.size() < 2 * threads && jobs.hasNext()) {
            enqueue(jobs.next());
        }
        return !window.isEmpty();
    }

    private void enqueue(Callable<R> job) {
        window.add(job instanceof Ready<R> known ? CompletableFuture.completedFuture(known.result())
                : pool().submit(job));
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
