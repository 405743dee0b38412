package dev.caravan.camel.records;

import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.records.TablePreview;
import dev.caravan.formats.store.ConversionReport;
import java.util.List;

/**
 * Told about every result a {@code caravan-records:} endpoint produces, whatever the route does with the body
 * afterwards (a runner counts outcomes with it). Register with {@link CaravanRecordsComponent#addListener}. Called
 * on the exchange's thread; must be thread-safe.
 */
public interface RecordsListener {

    /** A record migration ended (complete or not). */
    default void onRun(TableMigrationSpec spec, RecordMigrationResult result) {
    }

    /** A record migration was planned. */
    default void onPlan(TableMigrationSpec spec, List<TablePreview> previews) {
    }

    /** A record verification finished. */
    default void onVerify(TableMigrationSpec spec, VerificationReport report) {
    }

    /** A format conversion finished. */
    default void onConvert(RecordsRequest.Conversion conversion, ConversionReport report) {
    }
}
