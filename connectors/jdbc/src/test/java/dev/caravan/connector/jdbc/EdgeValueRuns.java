package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The runs the edge-value tests share (PostgreSQL dates, numeric specials): a source copied whole into a target that
 * holds every value, and one loaded into a target that refuses some of them row by row, with a reject file.
 */
final class EdgeValueRuns {
    /** A load with rejects: the result and the reject file's text. */
    record Loaded(RecordMigrationResult result, String rejects) {
    }

    private EdgeValueRuns() {
    }

    /** Copies every table of {@code source} into {@code target} with these target options; asserts it is complete. */
    static RecordMigrationResult complete(Path dir, TestDb source, TestDb target, Map<String, String> targetOptions) {
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(targetOptions).build());
        assertThat(r.outcome()).as(target.uri() + " " + targetOptions + ": " + EngineSupport.describe(r))
                .isEqualTo(RunOutcome.COMPLETE);
        return r;
    }

    /**
     * Loads every table of {@code source} into {@code target} with a reject file; asserts the run had no errors (the
     * refused rows are rejects, the table is not failed).
     */
    static Loaded withRejects(Path dir, TestDb source, TestDb target) {
        return withRejects(dir, source, target, Map.of());
    }

    /** {@link #withRejects(Path, TestDb, TestDb)} with more target options. */
    static Loaded withRejects(Path dir, TestDb source, TestDb target, Map<String, String> targetOptions) {
        Path rejects = dir.resolve("rejects.jsonl");
        Map<String, String> options = new java.util.HashMap<>(targetOptions);
        options.put("rejectFile", rejects.toString());
        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(options).build());
        assertThat(r.errors()).as(EngineSupport.describe(r)).isEmpty();
        try {
            return new Loaded(r, Files.exists(rejects) ? Files.readString(rejects) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
