package dev.caravan.core.records;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.RecordWriter;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.record.WriteReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake record connector for engine unit tests (scheme {@code mem}): a source of {@code n} keyed rows split into
 * equal key ranges, and a sink that keeps each split's rows like a file per split: open() replaces the split's
 * output, commit() is allowed once, no capabilities. The sink can "die" after a number of commits.
 */
final class MemoryRecords implements RecordProvider {
    static final Schema SCHEMA = new Schema("numbers", List.of(new Column("id", ColumnType.LONG, null, 0, 0, false),
            Column.of("label", ColumnType.STRING)), List.of("id"));

    final Map<String, List<DataRecord>> written = new ConcurrentHashMap<>();
    final AtomicInteger commits = new AtomicInteger();
    /** Runs after each commit, with the number of commits so far. */
    volatile java.util.function.IntConsumer afterCommit = n -> { };
    /** The threads the source's batches were read on. */
    final java.util.Set<String> readingThreads = ConcurrentHashMap.newKeySet();
    private final int rows;
    private final int dieAfterCommits;

    MemoryRecords(int rows, int dieAfterCommits) {
        this.rows = rows;
        this.dieAfterCommits = dieAfterCommits;
    }

    @Override
    public String scheme() {
        return "mem";
    }

    @Override
    public String description() {
        return "in-memory records for tests";
    }

    @Override
    public Options options() {
        return Options.of("mem", OptionDef.of("batch", OptionType.INT, "rows per batch").withDefault("100"));
    }

    List<DataRecord> all() {
        List<DataRecord> out = new ArrayList<>();
        written.values().forEach(out::addAll);
        out.sort((a, b) -> Long.compare((Long) a.get(0), (Long) b.get(0)));
        return out;
    }

    @Override
    public RecordSource openSource(String location, Config config) {
        int batch = config.intValue("batch", 100);
        return new RecordSource() {
            @Override
            public Schema schema() {
                return SCHEMA;
            }

            @Override
            public List<Split> splits(int parallelism) {
                List<Split> out = new ArrayList<>();
                int width = (rows + parallelism - 1) / parallelism;
                for (int i = 0; i < parallelism; i++) {
                    out.add(new Split(Integer.toString(i), i == 0 ? null : Long.toString((long) i * width),
                            i == parallelism - 1 ? null : Long.toString((long) (i + 1) * width)));
                }
                return out;
            }

            @Override
            public RecordReader open(Split split, Checkpoint from) {
                long lo = split.lowerBound() == null ? 0 : Long.parseLong(split.lowerBound());
                long hi = split.upperBound() == null ? rows : Long.parseLong(split.upperBound());
                return new RecordReader() {
                    long next = lo + 1;

                    @Override
                    public Optional<RecordBatch> nextBatch() {
                        readingThreads.add(Thread.currentThread().getName());
                        List<DataRecord> out = new ArrayList<>();
                        while (next <= hi && out.size() < batch) {
                            out.add(new DataRecord(new Object[] {next, "n" + next}));
                            next++;
                        }
                        return out.isEmpty() ? Optional.empty()
                                : Optional.of(new RecordBatch(out, Long.toString(next - 1)));
                    }

                    @Override
                    public Checkpoint checkpoint() {
                        return Checkpoint.EMPTY;
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    @Override
    public RecordSink openSink(String location, Config config) {
        return (schema, split) -> new RecordWriter() {
            final List<DataRecord> pending = new ArrayList<>();
            boolean committed;

            @Override
            public void write(RecordBatch batch) {
                if (committed) {
                    throw new IllegalStateException("this writer was committed already");
                }
                pending.addAll(batch.records());
            }

            @Override
            public WriteReport commit() {
                if (committed) {
                    throw new IllegalStateException("committed twice");
                }
                committed = true;
                written.put(split.id(), List.copyOf(pending)); // replaces what an earlier attempt wrote
                int n = commits.incrementAndGet();
                afterCommit.accept(n);
                if (dieAfterCommits > 0 && n >= dieAfterCommits) { // dead stays dead: no later commit slips through
                    throw new Died();
                }
                return new WriteReport(pending.size(), 0, null);
            }

            @Override
            public void abort() {
                pending.clear();
            }

            @Override
            public void close() {
            }
        };
    }

    /** A simulated kill. */
    static final class Died extends Error {
        private static final long serialVersionUID = 1L;
    }
}
