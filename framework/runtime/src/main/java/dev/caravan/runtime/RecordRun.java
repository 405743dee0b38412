package dev.caravan.runtime;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationReport;
import java.time.Duration;
import java.util.List;

/**
 * What one {@code caravan-records:} exchange of a run did: a table or database migration ({@code migrate}), a
 * verification ({@code verify}) or a format conversion ({@code convert}).
 *
 * @param name         the migration's name (the route id unless the endpoint names it)
 * @param operation    {@code migrate}, {@code verify} or {@code convert}
 * @param source       the source location, passwords masked
 * @param target       the target location, passwords masked
 * @param runId        the journal's run id, or {@code null} (conversions are not journaled)
 * @param outcome      COMPLETE, FAILED or VERIFICATION_FAILED
 * @param items        per table (migrations) or one line for all files (conversions), in load order; empty for a
 *                     verification
 * @param verification what verification found, or {@code null} when nothing was verified
 * @param duration     wall time of the exchange's operation
 * @param errors       the first error messages
 */
public record RecordRun(String name, String operation, String source, String target, String runId,
        RunOutcome outcome, List<Item> items, VerificationReport verification, Duration duration,
        List<String> errors) {
    public RecordRun {
        items = List.copyOf(items);
        errors = List.copyOf(errors);
    }

    /**
     * One table, or the files of a conversion.
     *
     * @param name     the source table, or the objects a conversion read
     * @param read     records read from the source (written plus rejected)
     * @param written  records written to the target
     * @param rejected records the target refused or the mapping could not convert
     * @param skipped  true when the table was not copied again: an earlier run of the same migration completed it
     * @param kept     the table that holds the rows the target table had before the run dropped or emptied it (the
     *                 jdbc option {@code keepReplaced}), or {@code null} when none was kept
     * @param keptRows the number of rows in {@code kept}; 0 when none was kept
     */
    public record Item(String name, long read, long written, long rejected, boolean skipped, String kept,
            long keptRows) {
        /** A table or file set this run copied. */
        public Item(String name, long read, long written, long rejected) {
            this(name, read, written, rejected, false);
        }

        /** A table without kept rows. */
        public Item(String name, long read, long written, long rejected, boolean skipped) {
            this(name, read, written, rejected, skipped, null, 0);
        }
    }

    /** 0 when complete (and verified where asked), else 1. */
    public int exitCode() {
        return outcome == RunOutcome.COMPLETE ? 0 : 1;
    }

    public long written() {
        return items.stream().mapToLong(Item::written).sum();
    }

    public long rejected() {
        return items.stream().mapToLong(Item::rejected).sum();
    }
}
