package dev.caravan.connector.http;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * Collects keys in any order and gives them back sorted by {@link ObjectKeys#ORDER} without duplicates, with a
 * bounded memory: at most {@code inMemory} keys are held in a sorted set; when it is full it is written to a temp
 * file as a sorted run, and reading merges the runs (one buffered line per run in memory). Keys never contain
 * line breaks ({@link HttpKeys} leaves such URLs out). {@link #close()} deletes the runs. Not thread-safe.
 */
final class KeySorter implements AutoCloseable {
    private final int inMemory;
    private final long maxKeys;
    private final List<Path> runs = new ArrayList<>();
    private final List<BufferedReader> readers = new ArrayList<>();
    private TreeSet<String> current = new TreeSet<>(ObjectKeys.ORDER);
    private long added;

    KeySorter(int inMemory, long maxKeys) {
        this.inMemory = inMemory;
        this.maxKeys = maxKeys;
    }

    /** Adds a key (duplicates are dropped at the latest when reading); fails beyond {@code maxKeys}. */
    void add(String key) {
        if (!current.add(key)) {
            return;
        }
        if (++added > maxKeys) {
            throw new MigrationException(ErrorKind.USER_CONFIG, "the listing has more than " + maxKeys
                    + " URLs (option maxObjects): narrow the crawl (crawlDepth) or raise the limit");
        }
        if (current.size() >= inMemory) {
            spill();
        }
    }

    /** Whether the key was added and is still in memory (a cheap duplicate check for small listings). */
    boolean containsInMemory(String key) {
        return current.contains(key);
    }

    /** Keys added so far (duplicates that were spilled in different runs count twice). */
    long size() {
        return added;
    }

    /** The sorted keys; call once, after the last {@link #add}. */
    Iterator<String> sorted() {
        if (runs.isEmpty()) {
            return current.iterator();
        }
        spill();
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> ObjectKeys.ORDER.compare(a.line, b.line));
        try {
            for (Path run : runs) {
                BufferedReader reader = Files.newBufferedReader(run, StandardCharsets.UTF_8);
                readers.add(reader);
                String first = reader.readLine();
                if (first != null) {
                    heads.add(new Head(first, reader));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a sorted run of URLs", e);
        }
        return new Iterator<>() {
            private String last;

            @Override
            public boolean hasNext() {
                while (!heads.isEmpty() && heads.peek().line.equals(last)) {
                    advance(heads.poll(), heads);
                }
                return !heads.isEmpty();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Head head = heads.poll();
                last = head.line;
                advance(head, heads);
                return last;
            }
        };
    }

    private static void advance(Head head, PriorityQueue<Head> heads) {
        try {
            String line = head.reader.readLine();
            if (line != null) {
                heads.add(new Head(line, head.reader));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a sorted run of URLs", e);
        }
    }

    private record Head(String line, BufferedReader reader) {
    }

    private void spill() {
        if (current.isEmpty()) {
            return;
        }
        try {
            Path run = Files.createTempFile("caravan-http-keys-", ".run");
            runs.add(run);
            try (BufferedWriter out = Files.newBufferedWriter(run, StandardCharsets.UTF_8)) {
                for (String key : current) {
                    out.write(key);
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new MigrationException(ErrorKind.FATAL, "cannot write a sorted run of URLs to the temp directory "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
        current = new TreeSet<>(ObjectKeys.ORDER);
    }

    @Override
    public void close() {
        for (BufferedReader reader : readers) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // deleting the file next
            }
        }
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
        runs.clear();
        current = new TreeSet<>(ObjectKeys.ORDER);
    }
}
