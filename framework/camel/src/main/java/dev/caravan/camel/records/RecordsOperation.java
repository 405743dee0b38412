package dev.caravan.camel.records;

import dev.caravan.api.error.MigrationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a {@code caravan-records:} endpoint does (the URI path). */
public enum RecordsOperation {
    /** Run (or resume) a table / record migration; body {@link dev.caravan.core.records.RecordMigrationResult}. */
    MIGRATE,
    /** Dry run: schemas, target DDL, splits and sample rows; body a list of {@link dev.caravan.core.records.TablePreview}. */
    PLAN,
    /** Compare source and target again; body {@link dev.caravan.api.verify.VerificationReport}. */
    VERIFY,
    /** Convert record files between formats; body {@link dev.caravan.formats.store.ConversionReport}. */
    CONVERT;

    /** The URI form, e.g. {@code migrate}. */
    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the URI form; an unknown name gives a USER_CONFIG error listing the known ones. */
    public static RecordsOperation parse(String text) {
        String t = text == null ? "" : text.trim();
        for (RecordsOperation op : values()) {
            if (op.uriName().equalsIgnoreCase(t)) {
                return op;
            }
        }
        throw MigrationException.userConfig("unknown caravan-records operation '" + t + "' (known operations: "
                + Arrays.stream(values()).map(RecordsOperation::uriName).collect(Collectors.joining(", "))
                + "), e.g. caravan-records:migrate?source=jdbc:sqlite:/data/app.db&target=jdbc:h2:/data/app");
    }
}
