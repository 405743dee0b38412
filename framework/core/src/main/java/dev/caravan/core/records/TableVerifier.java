package dev.caravan.core.records;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.Checkpoint;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.RangeDigest;
import dev.caravan.api.record.RecordBatch;
import dev.caravan.api.record.RecordReader;
import dev.caravan.api.record.RecordSource;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares one table on both sides, split by split. Where both sides compute a {@link RangeDigest} of the same
 * flavor over the same column types and no mapping changes records, the split's count and digest come from SQL
 * on both sides; a mismatch (or any other case) is narrowed down by streaming: the source split is read in key
 * order, cut into ranges of about {@code rangeRows} rows at batch boundaries, and each range (lower key, upper key]
 * is read from the target and compared by count and {@link RowDigest}. Each compared range becomes a
 * {@link VerificationItem} whose item names the table and the key bounds. Thread-safe per split.
 */
final class TableVerifier {
    private final TableJob job;
    private final RecordSource source;
    private final RecordSource target;
    private final boolean countOnly;
    private final int rangeRows;
    private final boolean sqlDigest;
    private final boolean[] asFloat;

    TableVerifier(TableJob job, RecordSource source, RecordSource target, boolean identityMapping, boolean countOnly,
            int rangeRows) {
        this.job = job;
        this.source = source;
        this.target = target;
        this.countOnly = countOnly;
        this.rangeRows = rangeRows;
        Schema s = job.targetSchema();
        Schema t = target.schema();
        if (s.columns().size() != t.columns().size()) {
            throw new MigrationException(dev.caravan.api.error.ErrorKind.VERIFICATION_FAILED, job.table + ": the "
                    + "target has " + t.columns().size() + " columns, the mapped source " + s.columns().size());
        }
        this.asFloat = new boolean[s.columns().size()];
        boolean sameTypes = true;
        for (int i = 0; i < asFloat.length; i++) {
            asFloat[i] = s.columns().get(i).type() == ColumnType.FLOAT || t.columns().get(i).type() == ColumnType.FLOAT;
            sameTypes &= Objects.equals(s.columns().get(i).nativeType(), t.columns().get(i).nativeType());
        }
        Optional<RangeDigest> a = source.capability(RangeDigest.class);
        Optional<RangeDigest> b = target.capability(RangeDigest.class);
        this.sqlDigest = identityMapping && sameTypes && a.isPresent() && b.isPresent()
                && a.get().digestFlavor().equals(b.get().digestFlavor());
    }

    /** Verifies one split of the source; returns an item per compared range. */
    List<VerificationItem> verify(Split split) {
        if (sqlDigest) {
            RangeDigest.Summary s = source.capability(RangeDigest.class).orElseThrow().summarize(split);
            RangeDigest.Summary t = target.capability(RangeDigest.class).orElseThrow().summarize(split);
            String method = "sql-digest:" + source.capability(RangeDigest.class).orElseThrow().digestFlavor();
            if (s.equals(t) || countOnly && s.rows() == t.rows()) {
                return List.of(item(split.lowerBound(), split.upperBound(), method, s.rows(), s.digest(), t.rows(),
                        t.digest()));
            }
        }
        return stream(split);
    }

    private List<VerificationItem> stream(Split split) {
        List<VerificationItem> items = new ArrayList<>();
        RowDigest digest = new RowDigest(asFloat);
        String lower = split.lowerBound();
        try (RecordReader reader = source.open(split, Checkpoint.EMPTY)) {
            Optional<RecordBatch> next;
            while ((next = reader.nextBatch()).isPresent()) {
                RecordBatch batch = job.map(next.get());
                for (DataRecord r : batch.records()) {
                    digest.add(r);
                }
                if (digest.rows() >= rangeRows && batch.lastKey() != null) {
                    items.add(compare(split, lower, batch.lastKey(), digest));
                    lower = batch.lastKey();
                    digest.reset();
                }
            }
        }
        if (digest.rows() > 0 || items.isEmpty() || !Objects.equals(lower, split.upperBound())) {
            items.add(compare(split, lower, split.upperBound(), digest));
        }
        return items;
    }

    private VerificationItem compare(Split split, String lower, String upper, RowDigest src) {
        RowDigest tgt = new RowDigest(asFloat);
        Split range = new Split(split.id(), lower, upper);
        try (RecordReader reader = target.open(range, Checkpoint.EMPTY)) {
            Optional<RecordBatch> next;
            while ((next = reader.nextBatch()).isPresent()) {
                for (DataRecord r : next.get().records()) {
                    tgt.add(r);
                }
            }
        }
        return item(lower, upper, countOnly ? "rowcount" : "row-digest", src.rows(), src.digest(), tgt.rows(),
                tgt.digest());
    }

    private VerificationItem item(String lower, String upper, String method, long sRows, String sDigest, long tRows,
            String tDigest) {
        String what = job.table + " keys (" + (lower == null ? "-inf" : lower) + ", " + (upper == null ? "+inf" : upper)
                + "]";
        boolean same = countOnly ? sRows == tRows : sRows == tRows && sDigest.equals(tDigest);
        if (same) {
            return new VerificationItem(what, VerificationOutcome.MATCH, method, "");
        }
        VerificationOutcome outcome = tRows == 0 ? VerificationOutcome.MISSING_ON_TARGET
                : sRows == 0 ? VerificationOutcome.MISSING_ON_SOURCE : VerificationOutcome.DIFFER;
        return new VerificationItem(what, outcome, method, "source " + sRows + " rows (" + sDigest + "), target "
                + tRows + " rows (" + tDigest + ")");
    }
}
