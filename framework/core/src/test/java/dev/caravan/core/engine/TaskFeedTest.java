package dev.caravan.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.store.Prefetch;
import dev.caravan.core.plan.PlannedTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class TaskFeedTest {
    private static TaskRecord task(int i, String action, long size) {
        TaskSpec spec = new TaskSpec(TaskId.of("local:/a", "local:/b", "k" + i), action, "k" + i, size);
        return new TaskRecord(spec, "run", TaskState.PENDING, 0, Checkpoint.EMPTY, null, null);
    }

    private static List<TaskRecord> copies(int n, long size) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(task(i, PlannedTask.COPY, size));
        }
        return tasks;
    }

    private static List<String> drain(TaskFeed feed) {
        List<String> keys = new ArrayList<>();
        for (TaskRecord t; (t = feed.next()) != null; ) {
            keys.add(t.spec().item());
        }
        return keys;
    }

    @Test
    void handsOutTheAcceptedTasksInOrderWithAndWithoutPrefetch() {
        List<TaskRecord> tasks = new ArrayList<>(copies(200, 10));
        tasks.add(3, task(1000, PlannedTask.DELETE, 0));
        Predicate<TaskRecord> copiesOnly = t -> PlannedTask.COPY.equals(t.spec().action());
        List<String> expected = copies(200, 10).stream().map(t -> t.spec().item()).toList();
        try (TaskFeed plain = new TaskFeed(tasks.iterator(), copiesOnly, Optional.empty())) {
            assertEquals(expected, drain(plain));
            assertNull(plain.next(), "an exhausted feed stays exhausted");
        }
        try (TaskFeed prefetching = new TaskFeed(tasks.iterator(), copiesOnly, Optional.of((key, size) -> { }))) {
            assertEquals(expected, drain(prefetching));
        }
    }

    @Test
    void everyTaskGoesToExactlyOneOfSeveralWorkers() throws Exception {
        List<TaskRecord> tasks = copies(5000, 10);
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        try (TaskFeed feed = new TaskFeed(tasks.iterator(), t -> true, Optional.of((key, size) -> { }))) {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Thread t = new Thread(() -> {
                    for (TaskRecord r; (r = feed.next()) != null; ) {
                        taken.add(r.spec().item());
                    }
                });
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join();
            }
        }
        assertEquals(5000, taken.size());
        assertEquals(5000, new java.util.HashSet<>(taken).size(), "no task handed out twice");
    }

    @Test
    void prefetchesSmallCopiesAheadOfTheWorkersAndNothingElse() throws Exception {
        List<TaskRecord> tasks = new ArrayList<>();
        tasks.add(task(0, PlannedTask.COPY, 100));
        tasks.add(task(1, PlannedTask.REPLACE, 200));
        tasks.add(task(2, PlannedTask.COPY, 0)); // empty: nothing to load
        tasks.add(task(3, PlannedTask.COPY, TaskFeed.PREFETCH_MAX + 1)); // large: left to the read-ahead
        tasks.add(task(4, PlannedTask.DELETE, 0));
        tasks.add(task(5, PlannedTask.COPY, TaskFeed.PREFETCH_MAX));
        List<String> loaded = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        Prefetch recorder = (key, size) -> {
            loaded.add(key + "=" + size);
            two.countDown();
        };
        try (TaskFeed feed = new TaskFeed(tasks.iterator(), t -> true, Optional.of(recorder))) {
            // the first task taken fills the window: the prefetcher loads the later ones before any worker asks
            assertEquals("k0", feed.next().spec().item());
            assertTrue(two.await(10, TimeUnit.SECONDS), "loaded: " + loaded);
        }
        // not k0 (taken already), k2 (empty), k3 (large) or k4 (a delete)
        assertEquals(List.of("k1=200", "k5=" + TaskFeed.PREFETCH_MAX), loaded);
    }

    @Test
    void closeStopsThePrefetcherEvenWithWorkQueued() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.Set<String> loaded = ConcurrentHashMap.newKeySet();
        Prefetch slow = (key, size) -> {
            loaded.add(key);
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        TaskFeed feed = new TaskFeed(copies(100, 10).iterator(), t -> true, Optional.of(slow));
        feed.next();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(feed::close);
        closer.start();
        Thread.sleep(50);
        release.countDown(); // the load under way finishes; the rest of the window is dropped
        closer.join(10_000);
        assertFalse(closer.isAlive(), "close returned");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("caravan-prefetch")),
                "no prefetch thread left");
        assertEquals(1, loaded.size(), "nothing loaded after close: " + loaded);
    }
}
