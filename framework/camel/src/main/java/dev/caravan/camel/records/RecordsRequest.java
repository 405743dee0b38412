package dev.caravan.camel.records;

import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.formats.mapping.RecordMapping;
import java.util.Map;

/**
 * What one exchange asks of a {@code caravan-records:} endpoint, with options and headers resolved.
 *
 * @param operation   what to do
 * @param table       the record migration (migrate, plan, verify), else {@code null}
 * @param conversion  the format conversion (convert), else {@code null}
 * @param sampleRows  plan: sample records per table
 * @param failOnError whether an unsuccessful outcome fails the exchange
 */
public record RecordsRequest(RecordsOperation operation, TableMigrationSpec table, Conversion conversion,
        int sampleRows, boolean failOnError) {

    /**
     * A format conversion between two object stores.
     *
     * @param name                  name in logs
     * @param source                source store location ({@code scheme:location})
     * @param sourceOptions         source store connector options
     * @param include               glob of the objects to convert
     * @param sourceFormat          format of the source objects
     * @param sourceFormatOptions   codec options of the source
     * @param target                target store location
     * @param targetOptions         target store connector options
     * @param prefix                folder of the parts under the target
     * @param targetFormat          format of the parts
     * @param targetFormatOptions   codec options of the target
     * @param mapping               schema mapping
     * @param maxRecordsPerFile     rolling by records (0: none)
     * @param maxBytesPerFile       rolling by bytes (0: none)
     * @param maxRejects            rejects tolerated
     * @param rejectsPrefix         where rejects are written in the target store, or {@code null}
     * @param append                whether parts are appended rather than replaced
     */
    public record Conversion(String name, String source, Map<String, String> sourceOptions, String include,
            String sourceFormat, Map<String, String> sourceFormatOptions, String target,
            Map<String, String> targetOptions, String prefix, String targetFormat,
            Map<String, String> targetFormatOptions, RecordMapping mapping, long maxRecordsPerFile,
            long maxBytesPerFile, long maxRejects, String rejectsPrefix, boolean append, boolean verify) {
    }
}
