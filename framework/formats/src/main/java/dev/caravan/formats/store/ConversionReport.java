package dev.caravan.formats.store;

import dev.caravan.api.record.Schema;
import dev.caravan.api.verify.VerificationReport;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link FormatConversion} did.
 *
 * @param objects      source objects read
 * @param recordsIn    records decoded from them
 * @param recordsOut   records written
 * @param rejected     records not written (bad data in the source, a failed cast, a value the target refuses)
 * @param bytesIn      bytes of the source objects
 * @param bytesOut     bytes of the files written
 * @param files        keys of the files written, in order
 * @param rejectFiles  keys of the reject files written (JSON Lines), possibly empty
 * @param firstRejects the first rejects (at most 100)
 * @param elapsed      wall-clock time
 * @param source       the source schema
 * @param target       the target schema
 * @param verification the comparison of the published parts with the source ({@link FormatConversion#verify()}), or
 *                     {@code null} when the conversion was not verified
 */
public record ConversionReport(long objects, long recordsIn, long recordsOut, long rejected, long bytesIn,
        long bytesOut, List<String> files, List<String> rejectFiles, List<Reject> firstRejects, Duration elapsed,
        Schema source, Schema target, VerificationReport verification) {

    public ConversionReport {
        files = List.copyOf(files);
        rejectFiles = List.copyOf(rejectFiles);
        firstRejects = List.copyOf(firstRejects);
    }

    /** This report with the verification of its parts. */
    public ConversionReport withVerification(VerificationReport report) {
        return new ConversionReport(objects, recordsIn, recordsOut, rejected, bytesIn, bytesOut, files, rejectFiles,
                firstRejects, elapsed, source, target, report);
    }

    /** Records written per second of wall-clock time. */
    public double recordsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : recordsOut / s;
    }

    @Override
    public String toString() {
        return String.format("%d objects, %d records in, %d out, %d rejected, %d -> %d bytes, %d files, %.1f s (%.0f records/s)",
                objects, recordsIn, recordsOut, rejected, bytesIn, bytesOut, files.size(), elapsed.toNanos() / 1e9,
                recordsPerSecond());
    }
}
