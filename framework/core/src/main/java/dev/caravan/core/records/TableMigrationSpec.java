package dev.caravan.core.records;

import dev.caravan.api.error.MigrationException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a record migration moves: a source and a target ({@code scheme:location} plus connector options), one table
 * or a whole database (decided by the source: a source opened on a database offers
 * {@link dev.caravan.api.record.SourceTables}), and how: parallelism, verification, incremental window, mapping
 * hook, retries. Immutable; build it with {@link #builder(String, String)}.
 *
 * @param name            human name of the migration (journal, reports)
 * @param source          source URI, e.g. {@code jdbc:sqlite:/data/app.db}
 * @param sourceOptions   source connector options (validated against its declarations)
 * @param target          target URI, e.g. {@code jdbc:postgresql://127.0.0.1:5432/app}
 * @param targetOptions   target connector options
 * @param parallelism     split tasks running at once (threads), at least 1
 * @param splitsPerTable  splits asked of each table's source (key ranges read in parallel)
 * @param verify          verification after the load
 * @param verifyRangeRows rows per streamed verification range (the granularity of a reported mismatch)
 * @param incremental     incremental settings, or {@code null} for a full copy
 * @param mapping         per-table record mapping applied between source and sink
 * @param retries         retries of a split after a transient failure (each resumes from its checkpoint)
 * @param retryBaseDelay  first backoff of those retries
 */
public record TableMigrationSpec(String name, String source, Map<String, String> sourceOptions, String target,
        Map<String, String> targetOptions, int parallelism, int splitsPerTable, Verify verify, int verifyRangeRows,
        Incremental incremental, RecordMapping mapping, int retries, Duration retryBaseDelay) {

    /** How much verification runs after the load. */
    public enum Verify {
        /** None. */
        NONE,
        /** Row counts per split range on both sides. */
        COUNT,
        /** Row counts and digests per key range (in SQL where both sides can, else streamed). */
        DIGEST
    }

    /**
     * Incremental runs: each run copies the rows whose {@code column} grew past what the previous complete run
     * reached (kept in the journal as the run's next state).
     *
     * @param column a monotonically increasing key, or an updated-at column
     * @param mode   {@link Mode#KEY}: new rows only, appended; {@link Mode#UPDATED_AT}: new and changed rows, which
     *               the target must upsert (target option {@code mode=upsert} for jdbc)
     */
    public record Incremental(String column, Mode mode) {
        public Incremental {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(mode, "mode");
        }

        /** What the incremental column is. */
        public enum Mode { KEY, UPDATED_AT }
    }

    public TableMigrationSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        sourceOptions = Map.copyOf(sourceOptions);
        targetOptions = Map.copyOf(targetOptions);
        name = name == null ? RecordMigrationEngine.masked(source) + " -> " + RecordMigrationEngine.masked(target)
                : name;
        verify = verify == null ? Verify.DIGEST : verify;
        mapping = mapping == null ? RecordMapping.IDENTITY : mapping;
        retryBaseDelay = retryBaseDelay == null ? Duration.ofMillis(500) : retryBaseDelay;
        if (parallelism < 1 || splitsPerTable < 1 || verifyRangeRows < 1 || retries < 0) {
            throw MigrationException.userConfig("parallelism, splitsPerTable and verifyRangeRows must be positive "
                    + "and retries not negative");
        }
    }

    public static Builder builder(String source, String target) {
        return new Builder(source, target);
    }

    /**
     * Key ranges per table when none is asked for: one per two cores (at least one, at most {@code parallelism}),
     * since a split alone keeps two threads busy (reading ahead on one, writing on the other, see
     * {@link SplitCopier}) and the target's server works for it too. Measured on 2 cores, SQLite -> PostgreSQL of a
     * million rows on the same machine: one split reading ahead 1.36 s, two splits 1.45 s, four 1.65 s. Several
     * tables still load {@code parallelism} at a time.
     */
    public static int defaultSplitsPerTable(int parallelism) {
        return Math.max(1, Math.min(parallelism, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * A builder with the defaults: parallelism 4, {@link #defaultSplitsPerTable} splits per table, DIGEST
     * verification, 3 retries.
     */
    public static final class Builder {
        private final String source;
        private final String target;
        private String name;
        private Map<String, String> sourceOptions = Map.of();
        private Map<String, String> targetOptions = Map.of();
        private int parallelism = 4;
        private Integer splitsPerTable;
        private Verify verify = Verify.DIGEST;
        private int verifyRangeRows = 100_000;
        private Incremental incremental;
        private RecordMapping mapping = RecordMapping.IDENTITY;
        private int retries = 3;
        private Duration retryBaseDelay = Duration.ofMillis(500);

        private Builder(String source, String target) {
            this.source = source;
            this.target = target;
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder sourceOptions(Map<String, String> v) {
            sourceOptions = new TreeMap<>(v);
            return this;
        }

        public Builder targetOptions(Map<String, String> v) {
            targetOptions = new TreeMap<>(v);
            return this;
        }

        public Builder parallelism(int v) {
            parallelism = v;
            return this;
        }

        public Builder splitsPerTable(int v) {
            splitsPerTable = v;
            return this;
        }

        public Builder verify(Verify v) {
            verify = v;
            return this;
        }

        public Builder verifyRangeRows(int v) {
            verifyRangeRows = v;
            return this;
        }

        public Builder incremental(String column, Incremental.Mode mode) {
            incremental = new Incremental(column, mode);
            return this;
        }

        public Builder mapping(RecordMapping v) {
            mapping = v;
            return this;
        }

        public Builder retries(int v, Duration baseDelay) {
            retries = v;
            retryBaseDelay = baseDelay;
            return this;
        }

        public TableMigrationSpec build() {
            return new TableMigrationSpec(name, source, sourceOptions, target, targetOptions, parallelism,
                    splitsPerTable == null ? defaultSplitsPerTable(parallelism) : splitsPerTable, verify,
                    verifyRangeRows, incremental,
                    mapping, retries, retryBaseDelay);
        }
    }
}
