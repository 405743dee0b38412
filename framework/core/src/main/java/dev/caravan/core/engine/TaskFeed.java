package dev.caravan.core.engine;

import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.Prefetch;
import dev.caravan.core.Threads;
import dev.caravan.core.plan.PlannedTask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The tasks of one pass of a run, taken by the transfer workers themselves: a worker that finishes a task takes the
 * next under this feed's lock, so no thread hands tasks over one by one (on a small machine each hand-over is a
 * wake-up of another thread). With a source that can {@link Prefetch}, the feed reads up to {@link #WINDOW} tasks
 * ahead of the workers and a thread of its own ("caravan-prefetch") loads the objects of the small copies among them,
 * in batches, so that a copy finds its source in memory instead of waiting for the disk. Thread-safe; close it after
 * the workers are done.
 */
final class TaskFeed implements AutoCloseable {
    /** How many tasks the feed holds ahead of the workers when it prefetches; it refills at half. */
    static final int WINDOW = 64;
    /** Larger objects are not prefetched: a sequential read of them gets the store's own read-ahead. */
    static final long PREFETCH_MAX = 1L << 20;

    private final Iterator<TaskRecord> upstream;
    private final Predicate<TaskRecord> which;
    private final ArrayDeque<TaskRecord> ahead = new ArrayDeque<>();
    private final Prefetcher prefetcher;
    /** Tasks given to workers so far, and tasks read into the window so far (the position of each in the order). */
    private final AtomicLong taken = new AtomicLong();
    private long read;
    private long passedOver;

    /**
     * A feed of the tasks of {@code upstream} that {@code which} accepts, in order; {@code prefetch} (the source's
     * capability, when it has it) is called ahead of the workers.
     */
    TaskFeed(Iterator<TaskRecord> upstream, Predicate<TaskRecord> which, Optional<Prefetch> prefetch) {
        this.upstream = upstream;
        this.which = which;
        this.prefetcher = prefetch.map(Prefetcher::new).orElse(null);
    }

    /** The next task, or {@code null} when there is none left. */
    synchronized TaskRecord next() {
        if (prefetcher == null) {
            while (upstream.hasNext()) {
                TaskRecord task = upstream.next();
                if (which.test(task)) {
                    return task;
                }
                passedOver++;
            }
            return null;
        }
        List<Numbered> batch = ahead.size() <= WINDOW / 2 ? fill() : List.of();
        TaskRecord task = ahead.poll();
        if (task != null) {
            taken.incrementAndGet();
        }
        // one wake-up of the prefetcher per batch, not per task; after the take, so the task taken now is skipped
        if (!batch.isEmpty()) {
            prefetcher.offer(batch);
        }
        return task;
    }

    /** Reads tasks into the window; the new ones worth loading. */
    private List<Numbered> fill() {
        List<Numbered> batch = new ArrayList<>();
        while (ahead.size() < WINDOW && upstream.hasNext()) {
            TaskRecord task = upstream.next();
            if (!which.test(task)) {
                passedOver++;
                continue;
            }
            ahead.add(task);
            long position = read++;
            if (worthPrefetching(task)) {
                batch.add(new Numbered(position, task));
            }
        }
        return batch;
    }

    /** How many tasks the feed read and did not hand out because the filter refused them (so far). */
    synchronized long passedOver() {
        return passedOver;
    }

    /** A copy of a small object with bytes in it: the transfer reads it whole from the source. */
    static boolean worthPrefetching(TaskRecord task) {
        long size = task.spec().size();
        return PlannedTask.transfers(task.spec().action()) && size > 0 && size <= PREFETCH_MAX;
    }

    /** Stops the prefetcher (after the object it is loading, if any) and waits for it. */
    @Override
    public void close() {
        if (prefetcher != null) {
            prefetcher.stop();
        }
    }

    private record Numbered(long position, TaskRecord task) {
    }

    /** Loads queued objects in order, skipping those a worker took already (its copy reads them by itself). */
    private final class Prefetcher implements Runnable {
        private final Prefetch store;
        private final LinkedBlockingQueue<List<Numbered>> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean started; // set under the feed's lock
        private volatile boolean stopped;

        Prefetcher(Prefetch store) {
            this.store = store;
            this.thread = new Thread(this, "caravan-prefetch");
            thread.setDaemon(true);
        }

        /** Queues a batch; the thread starts with the first one (a pass with nothing to load starts none). */
        void offer(List<Numbered> batch) {
            if (!started) {
                started = true;
                thread.start();
            }
            queue.add(batch);
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    for (Numbered n : queue.take()) { // an empty batch only wakes it to stop
                        if (stopped) {
                            return;
                        }
                        if (n.position() >= taken.get()) {
                            store.prefetch(n.task().spec().item(), n.task().spec().size());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nobody interrupts it; ends
            }
        }

        /** Not by an interrupt, which would close the channels of the load under way. */
        void stop() {
            if (!started) {
                return;
            }
            stopped = true;
            queue.add(List.of());
            Threads.joinUninterruptibly(thread);
        }
    }

    /** The next task; null, with the error kept in {@code broken}, when the task list cannot be read. */
    TaskRecord nextOrNull(java.util.concurrent.atomic.AtomicReference<RuntimeException> broken) {
        try {
            return next();
        } catch (RuntimeException e) {
            broken.compareAndSet(null, e);
            return null;
        }
    }
}
