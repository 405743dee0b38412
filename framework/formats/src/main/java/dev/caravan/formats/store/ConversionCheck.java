package dev.caravan.formats.store;

import dev.caravan.api.config.Config;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.FormatWriter;
import dev.caravan.formats.TextValues;
import dev.caravan.formats.mapping.BoundMapping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Verifies a conversion: reads the source again through the mapping and the target format (encoded and decoded in
 * memory, {@value #BATCH} records at a time, so timestamps are cut to the target's unit as in the parts) and compares
 * it record by record, in order, with the parts the conversion published (all parts under the prefix, or only the
 * ones one append run wrote). Records the conversion rejects are skipped here too. Memory: one batch.
 */
final class ConversionCheck {
    static final String METHOD = "record-values";
    private static final int BATCH = 10_000;

    private final ObjectStoreRecordSource source;
    private final BoundMapping mapping;
    private final FormatCodec codec;
    private final Config config;
    private final ObjectStoreRecordSource parts;
    /** The keys of the parts to compare with, or {@code null} for every part. */
    private final Set<String> only;
    private final String item;

    ConversionCheck(ObjectStoreRecordSource source, BoundMapping mapping, FormatCodec codec, Config config,
            ObjectStoreRecordSource parts, List<String> only, String item) {
        this.source = source;
        this.mapping = mapping;
        this.codec = codec;
        this.config = config;
        this.parts = parts;
        this.only = only == null ? null : Set.copyOf(only);
        this.item = item;
    }

    VerificationReport run() {
        VerificationReport report = new VerificationReport(10);
        try (Parts target = new Parts()) {
            report.add(compare(target));
        } catch (RuntimeException e) {
            report.add(new VerificationItem(item, VerificationOutcome.ERROR, METHOD, String.valueOf(e.getMessage())));
        }
        return report;
    }

    private VerificationItem compare(Parts target) {
        long expected = 0;
        List<DataRecord> batch = new ArrayList<>(BATCH);
        try (Stream<ObjectInfo> listing = source.objects()) {
            for (ObjectInfo o : (Iterable<ObjectInfo>) listing::iterator) {
                try (FormatReader reader = source.open(o)) {
                    while (true) {
                        DataRecord r;
                        try {
                            r = reader.next();
                            if (r == null) {
                                break;
                            }
                            batch.add(mapping.apply(r, o.key(), reader.position()));
                        } catch (DataError e) {
                            if (!e.recoverable()) {
                                throw e;
                            }
                            continue; // a reject of the conversion
                        }
                        if (batch.size() == BATCH) {
                            List<DataRecord> converted = roundTrip(batch);
                            VerificationItem differ = compare(converted, target, expected);
                            if (differ != null) {
                                return differ;
                            }
                            expected += converted.size();
                            batch.clear();
                        }
                    }
                }
            }
        }
        List<DataRecord> last = roundTrip(batch);
        VerificationItem differ = compare(last, target, expected);
        if (differ != null) {
            return differ;
        }
        expected += last.size();
        long extra = target.remaining();
        if (target.count != expected || extra > 0) {
            return new VerificationItem(item, VerificationOutcome.DIFFER, METHOD, "the " + parts()
                    + (only != null && only.size() == 1 ? " holds " : " hold ") + (target.count + extra) + " records, the source gives " + expected);
        }
        return new VerificationItem(item, VerificationOutcome.MATCH, METHOD, expected + " records"
                + (only == null ? "" : " in the " + parts()) + ", every value equal after the target format's round"
                + " trip");
    }

    private String parts() {
        return only == null ? "parts" : only.size() + " part" + (only.size() == 1 ? "" : "s") + " this run wrote";
    }

    /** Compares a batch with the next target records (once the parts end, only counts), or names a difference. */
    private VerificationItem compare(List<DataRecord> expectedBatch, Parts target, long before) {
        long n = before;
        for (DataRecord want : expectedBatch) {
            n++;
            DataRecord got = target.next();
            if (got != null && !want.equals(got)) {
                return new VerificationItem(item, VerificationOutcome.DIFFER, METHOD, "record " + n + " ("
                        + target.key + ", record " + target.inPart + "): the source gives " + show(want)
                        + ", the part holds " + show(got));
            }
        }
        return null;
    }

    private List<DataRecord> roundTrip(List<DataRecord> records) {
        return throughFormat(codec, config, mapping.target(), records, (i, e) -> {
            if (!e.recoverable()) {
                throw e;
            }
        }); // a recoverable refusal is a reject of the conversion too: left out on both sides
    }

    /**
     * Records as a format keeps them: encoded with {@code codec} in memory and decoded again (timestamps cut to the
     * format's unit, ...), for a conversion's sample and its verification. A record the encoder refuses is told to
     * {@code refused} with its index in {@code records} (its error's record number counts the encoder's records) and
     * left out.
     */
    static List<DataRecord> throughFormat(FormatCodec codec, Config config, Schema schema, List<DataRecord> records,
            BiConsumer<Integer, DataError> refused) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (FormatWriter w = codec.encoder(bytes, "records." + codec.extension(), schema, config)) {
            for (int i = 0; i < records.size(); i++) {
                try {
                    w.write(records.get(i));
                } catch (DataError e) {
                    refused.accept(i, e);
                }
            }
            w.commit();
        }
        List<DataRecord> back = new ArrayList<>(records.size());
        try (FormatReader r = codec.decoder(new ByteArrayInputStream(bytes.toByteArray()), schema, config)) {
            DataRecord rec;
            while ((rec = r.next()) != null) {
                back.add(rec);
            }
        }
        return back;
    }

    private static String show(DataRecord r) {
        return Stream.of(r.values()).map(v -> v instanceof byte[] b ? b.length + " bytes"
                : TextValues.abbreviate(String.valueOf(v))).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The published parts, record by record, in key order. */
    private final class Parts implements AutoCloseable {
        private final Stream<ObjectInfo> listing = parts.objects()
                .filter(o -> only == null || only.contains(o.key()));
        private final Iterator<ObjectInfo> objects = listing.iterator();
        private FormatReader reader;
        private String key;
        private long count;
        private long inPart;

        DataRecord next() {
            while (true) {
                if (reader == null) {
                    if (!objects.hasNext()) {
                        return null;
                    }
                    ObjectInfo o = objects.next();
                    key = o.key();
                    inPart = 0;
                    reader = parts.open(o);
                }
                DataRecord r = reader.next();
                if (r != null) {
                    count++;
                    inPart++;
                    return r;
                }
                reader.close();
                reader = null;
            }
        }

        long remaining() {
            long n = 0;
            while (next() != null) {
                n++;
            }
            count -= n;
            return n;
        }

        @Override
        public void close() {
            if (reader != null) {
                reader.close();
            }
            listing.close();
        }
    }
}
