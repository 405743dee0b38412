package dev.caravan.core.manifest;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs tasks on a fixed number of threads and hands their results to a consumer in the order they were given, with at
 * most a few tasks per thread waiting: memory stays bounded however many tasks there are. Results known at once
 * ({@link #ready}) keep their place in the order. Used by one thread.
 */
final class OrderedWork<R> implements AutoCloseable {
    private final ExecutorService pool;
    private final Deque<Future<R>> window = new ArrayDeque<>();
    private final int limit;
    private final Consumer<R> sink;

    OrderedWork(int threads, Consumer<R> sink) {
        if (threads < 1) {
            throw MigrationException.userConfig("--transfers must be 1 or more, got " + threads);
        }
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "caravan-manifest");
            t.setDaemon(true);
            return t;
        });
        this.limit = threads * 4;
        this.sink = sink;
    }

    void submit(Callable<R> task) {
        window.add(pool.submit(task));
        drain(limit);
    }

    void ready(R result) {
        if (window.isEmpty()) {
            sink.accept(result);
        } else {
            window.add(CompletableFuture.completedFuture(result));
            drain(limit);
        }
    }

    /** Waits for every task and hands on the rest of the results. */
    void finish() {
        drain(0);
    }

    private void drain(int keep) {
        while (window.size() > keep) {
            sink.accept(await(window.poll()));
        }
    }

    private static <R> R await(Future<R> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException(ErrorKind.FATAL, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new MigrationException(ErrorKind.FATAL, String.valueOf(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
