package dev.caravan.formats.store;

import dev.caravan.api.config.Config;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.DataRecord;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.Split;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.DataError;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.FormatReader;
import dev.caravan.formats.Values;
import dev.caravan.formats.jsonl.JsonLinesCodec;
import dev.caravan.formats.mapping.BoundMapping;
import dev.caravan.formats.mapping.RecordMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Converts the records of objects in one store and format into part files of another store and format, through
 * a schema mapping: store bytes -> records -> store bytes (CSV to Parquet, JSON Lines to Avro, ...). Memory stays
 * bounded: objects are streamed record by record and parts are streamed into the target store. Parts become
 * visible on success only (see {@link ObjectStoreRecordSink}); by default a rerun replaces the parts of the
 * previous run. Records that cannot be converted are rejects: up to {@code maxRejects} of them are skipped,
 * counted, listed in the report and, with a rejects prefix, written as JSON Lines with the raw input record (see
 * {@link Reject}); one more fails the run.
 * {@link #sample(int)} converts the first records in memory and writes nothing.
 */
public final class FormatConversion {
    private static final int REPORTED_REJECTS = 100;
    /** Rejects named in the message of a run that exceeded maxRejects. */
    private static final int SHOWN_REJECTS = 5;

    private final ObjectStoreRecordSource source;
    private final ObjectStore target;
    private final FormatCodec targetCodec;
    private final Config targetConfig;
    private final ObjectStoreRecordSink.Layout layout;
    private final RecordMapping mapping;
    private final long maxRejects;
    private final String rejectsPrefix;

    private FormatConversion(Builder b) {
        this.source = new ObjectStoreRecordSource(b.sourceStore, b.glob, b.sourceCodec, b.sourceConfig, b.sourceSchema);
        this.target = Objects.requireNonNull(b.targetStore, "target store");
        this.targetCodec = Objects.requireNonNull(b.targetCodec, "target format");
        this.targetConfig = b.targetConfig;
        this.layout = new ObjectStoreRecordSink.Layout(b.prefix, b.maxRecords, b.maxBytes, b.mode);
        this.mapping = b.mapping;
        this.maxRejects = b.maxRejects;
        this.rejectsPrefix = b.rejectsPrefix;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the conversion; on failure nothing new is published and the temporary parts are removed. */
    public ConversionReport run() {
        long start = System.nanoTime();
        refuseSelfInput();
        Schema sourceSchema = source.schema();
        BoundMapping m = mapping.bind(sourceSchema);
        RejectLog rejects = new RejectLog();
        long objects = 0;
        long bytesIn = 0;
        long in = 0;
        long out = 0;
        ObjectStoreRecordWriter writer = new ObjectStoreRecordSink(target, targetCodec, targetConfig, layout)
                .open(m.target(), Split.whole());
        try (writer) {
            try (Stream<ObjectInfo> listing = source.objects()) {
                for (ObjectInfo o : (Iterable<ObjectInfo>) listing::iterator) {
                    objects++;
                    bytesIn += Math.max(0, o.size());
                    try (FormatReader reader = source.open(o)) {
                        while (true) {
                            DataRecord record;
                            try {
                                record = reader.next();
                            } catch (DataError e) {
                                rejects.add(e, reader.rawRecord());
                                continue;
                            }
                            if (record == null) {
                                break;
                            }
                            in++;
                            try {
                                writer.write(m.apply(record, o.key(), reader.position()));
                                out++;
                            } catch (DataError e) {
                                rejects.add(located(e, o.key(), reader), reader.rawRecord());
                            }
                        }
                    }
                }
            }
            if (objects == 0) {
                throw MigrationException.notFound("no object in " + source.store().uri() + " matches the source glob");
            }
            if (out == 0 && layout.mode() == ObjectStoreRecordSink.WriteMode.REPLACE
                    && !m.target().columns().isEmpty()) { // an empty file has no columns: nothing to keep
                writer.ensurePart(); // no records: one empty part keeps the schema (and replaces the older parts)
            }
            writer.commit();
            rejects.commit();
        } catch (RuntimeException e) {
            writer.abort();
            rejects.abort();
            throw e;
        }
        return new ConversionReport(objects, in, out, rejects.count, bytesIn, writer.bytesWritten(), writer.files(),
                rejects.files(), rejects.first, Duration.ofNanos(System.nanoTime() - start), sourceSchema, m.target(),
                null);
    }

    /**
     * The first {@code n} records converted to the target format and read back (in memory), with the resolved
     * type mapping; nothing is written to the target.
     */
    public Sample sample(int n) {
        refuseSelfInput();
        Schema sourceSchema = source.schema();
        BoundMapping m = mapping.bind(sourceSchema);
        List<DataRecord> mapped = new ArrayList<>();
        List<Reject> origins = new ArrayList<>(); // where each mapped record comes from (no column, no reason)
        List<Reject> rejected = new ArrayList<>();
        try (Stream<ObjectInfo> listing = source.objects()) {
            for (ObjectInfo o : (Iterable<ObjectInfo>) listing::iterator) {
                try (FormatReader reader = source.open(o)) {
                    while (mapped.size() < n && rejected.size() < n) {
                        DataRecord r;
                        try {
                            r = reader.next();
                        } catch (DataError e) {
                            if (!e.recoverable()) {
                                throw e;
                            }
                            rejected.add(Reject.of(e, reader.rawRecord()));
                            continue;
                        }
                        if (r == null) {
                            break;
                        }
                        try {
                            mapped.add(m.apply(r, o.key(), reader.position()));
                            origins.add(new Reject(o.key(), reader.position(), reader.line(), null, null,
                                    reader.rawRecord()));
                        } catch (DataError e) {
                            if (!e.recoverable()) {
                                throw e;
                            }
                            rejected.add(Reject.of(located(e, o.key(), reader), reader.rawRecord()));
                        }
                    }
                }
                if (mapped.size() >= n || rejected.size() >= n) {
                    break;
                }
            }
        }
        List<DataRecord> converted = ConversionCheck.throughFormat(targetCodec, targetConfig, m.target(), mapped,
                (i, e) -> {
                    Reject at = origins.get(i);
                    rejected.add(new Reject(at.object(), at.record(), at.line(), e.column(), e.reason(), at.raw()));
                });
        List<Sample.TypeMappingRow> rows = new ArrayList<>();
        for (BoundMapping.ColumnRule rule : m.rules()) {
            Column s = rule.source();
            Column t = rule.target();
            rows.add(new Sample.TypeMappingRow(s == null ? null : s.name(), s == null ? "-" : typeName(s),
                    s == null ? "-" : source.codec().physicalType(s, source.config()), t.name(), typeName(t),
                    targetCodec.physicalType(t, targetConfig == null ? targetCodec.config(null) : targetConfig),
                    rule.rule()));
        }
        return new Sample(sourceSchema, m.target(), rows, converted, rejected);
    }

    /**
     * Verifies the parts an earlier {@link #run()} left under the prefix (mode REPLACE): reads the source again through
     * the mapping and the target format (in memory, a batch at a time) and compares every value, record by record,
     * with the parts. One item: MATCH, DIFFER (the first differing record and its part, or the counts) or ERROR.
     * Writes nothing. In mode APPEND the parts hold the records of every run and which of them the last run wrote is
     * recorded nowhere, so this cannot tell them apart: the item is an ERROR that says so (verify an append run with
     * {@link #verify(ConversionReport)} right after it).
     */
    public VerificationReport verify() {
        if (layout.mode() == ObjectStoreRecordSink.WriteMode.APPEND) {
            return error("not verifiable afterwards in append mode: the parts under the prefix hold the records of every"
                    + " run and which of them one run wrote is not recorded; an append run verifies its own parts as it"
                    + " finishes");
        }
        return check(null);
    }

    /**
     * Verifies what {@code run} (a report of {@link #run()} of this conversion) published, as {@link #verify()} does:
     * in mode REPLACE every part under the prefix, in mode APPEND only the parts that run wrote
     * ({@link ConversionReport#files()}), which must hold exactly the records the source gives, value for value.
     */
    public VerificationReport verify(ConversionReport run) {
        return check(layout.mode() == ObjectStoreRecordSink.WriteMode.APPEND ? run.files() : null);
    }

    /** Compares the source with the parts ({@code only}: just these keys, or {@code null} for all). */
    private VerificationReport check(List<String> only) {
        try {
            BoundMapping m = mapping.bind(source.schema());
            ObjectStoreRecordSource parts = (ObjectStoreRecordSource) new ObjectStoreRecordSink(target, targetCodec,
                    targetConfig, layout).readBack(m.target());
            return new ConversionCheck(source, m, targetCodec, targetConfig, parts, only, item()).run();
        } catch (RuntimeException e) {
            return error(String.valueOf(e.getMessage()));
        }
    }

    private VerificationReport error(String detail) {
        VerificationReport report = new VerificationReport(10);
        report.add(new VerificationItem(item(), VerificationOutcome.ERROR, ConversionCheck.METHOD, detail));
        return report;
    }

    private String item() {
        return target.uri() + (layout.prefix().isEmpty() ? "" : "/" + layout.prefix());
    }

    /**
     * A recoverable refusal of the mapping or the target's writer, located at the record {@code reader} last returned:
     * its object, record number and (text formats) line; the writer's own position is in the target, not the input.
     */
    private static DataError located(DataError e, String object, FormatReader reader) {
        return e.recoverable() ? DataError.inRecord(object, reader.position(), reader.line(), e.column(), e.reason())
                : e;
    }

    /** The part and reject files must not be what the source glob selects (see {@link SelfInput}). */
    private void refuseSelfInput() {
        String dir = layout.prefix().isEmpty() ? "" : layout.prefix() + "/";
        String part = dir + "part-00000." + targetCodec.extension();
        if (rejectsPrefix == null) {
            SelfInput.refuse(source.store(), source.glob(), target, part);
        } else {
            SelfInput.refuse(source.store(), source.glob(), target, part, rejectsPrefix + "/part-00000.jsonl");
        }
    }

    private static String typeName(Column c) {
        return Values.typeName(c.type(), c.precision(), c.scale()) + (c.nullable() ? "" : " NOT NULL");
    }

    /** Counts rejects, keeps the first ones, writes all of them (raw record included) as JSON Lines given a prefix. */
    private final class RejectLog {
        private final List<Reject> first = new ArrayList<>();
        private ObjectStoreRecordWriter writer;
        private long count;

        void add(DataError e, String raw) {
            if (!e.recoverable()) {
                throw e;
            }
            count++;
            if (count > maxRejects) {
                if (maxRejects == 0) {
                    throw e;
                }
                // a failed run publishes no reject file: name the ones counted so far (the first few) too
                List<Reject> shown = first.subList(0, Math.min(first.size(), SHOWN_REJECTS));
                throw new MigrationException(ErrorKind.USER_DATA, "more than maxRejects=" + maxRejects
                        + " records rejected; the first" + (shown.size() == 1 ? "" : " " + shown.size()) + ": "
                        + shown.stream().map(Reject::toString).collect(Collectors.joining("; "))
                        + (first.size() > SHOWN_REJECTS ? "; ..." : "") + "; the last: " + e.getMessage(), e);
            }
            Reject r = Reject.of(e, raw);
            if (first.size() < REPORTED_REJECTS) {
                first.add(r);
            }
            if (rejectsPrefix != null) {
                if (writer == null) {
                    writer = new ObjectStoreRecordSink(target, Codecs.get(JsonLinesCodec.NAME), null,
                            new ObjectStoreRecordSink.Layout(rejectsPrefix, 0, 0, layout.mode()))
                            .open(REJECT_SCHEMA, Split.whole());
                }
                // a record number or line that is not known (0) is left out, never written as 0
                writer.write(new DataRecord(new Object[] {r.object(), r.record() > 0 ? r.record() : null,
                        r.line() > 0 ? r.line() : null, r.column(), r.reason(), r.raw()}));
            }
        }

        void commit() {
            if (writer != null) {
                writer.commit();
            }
        }

        void abort() {
            if (writer != null) {
                writer.abort();
            }
        }

        List<String> files() {
            return writer == null ? List.of() : writer.files();
        }
    }

    private static final Schema REJECT_SCHEMA = new Schema("rejects", List.of(Column.of("object", ColumnType.STRING),
            Column.of("record", ColumnType.LONG), Column.of("line", ColumnType.LONG), Column.of("column", ColumnType.STRING),
            Column.of("reason", ColumnType.STRING), Column.of("raw", ColumnType.STRING)), List.of());

    /** Builds a {@link FormatConversion}. */
    public static final class Builder {
        private ObjectStore sourceStore;
        private String glob;
        private FormatCodec sourceCodec;
        private Config sourceConfig;
        private Schema sourceSchema;
        private ObjectStore targetStore;
        private String prefix = "";
        private FormatCodec targetCodec;
        private Config targetConfig;
        private RecordMapping mapping = RecordMapping.identity();
        private long maxRecords;
        private long maxBytes;
        private long maxRejects;
        private String rejectsPrefix;
        private ObjectStoreRecordSink.WriteMode mode = ObjectStoreRecordSink.WriteMode.REPLACE;

        private Builder() {
        }

        /** The objects to convert: a store, a glob ({@link ObjectGlob}), their format and its options. */
        public Builder source(ObjectStore store, String glob, String format, Map<String, String> options) {
            FormatCodec codec = Codecs.get(format);
            this.sourceStore = store;
            this.glob = glob;
            this.sourceCodec = codec;
            this.sourceConfig = codec.config(options);
            return this;
        }

        /** The schema to read the source with (otherwise from the format options or the first object). */
        public Builder sourceSchema(Schema schema) {
            this.sourceSchema = schema;
            return this;
        }

        /** Where to write: a store, a directory prefix in it, the format and its options. */
        public Builder target(ObjectStore store, String prefix, String format, Map<String, String> options) {
            FormatCodec codec = Codecs.get(format);
            this.targetStore = store;
            this.prefix = prefix;
            this.targetCodec = codec;
            this.targetConfig = codec.config(options);
            return this;
        }

        public Builder mapping(RecordMapping m) {
            this.mapping = m == null ? RecordMapping.identity() : m;
            return this;
        }

        /** Rolls to a new part file after this many records ({@code 0}: no limit). */
        public Builder maxRecordsPerFile(long n) {
            this.maxRecords = n;
            return this;
        }

        /** Rolls to a new part file after about this many bytes ({@code 0}: no limit). */
        public Builder maxBytesPerFile(long n) {
            this.maxBytes = n;
            return this;
        }

        /** How many records may be rejected before the run fails ({@code 0}, the default: none). */
        public Builder maxRejects(long n) {
            this.maxRejects = n;
            return this;
        }

        /** Writes every reject as JSON Lines under this prefix of the target store. */
        public Builder rejectsPrefix(String p) {
            this.rejectsPrefix = p;
            return this;
        }

        /** REPLACE (default: a rerun replaces the previous parts) or APPEND. */
        public Builder mode(ObjectStoreRecordSink.WriteMode m) {
            this.mode = m;
            return this;
        }

        public FormatConversion build() {
            Objects.requireNonNull(sourceStore, "source store");
            Objects.requireNonNull(sourceCodec, "source format");
            return new FormatConversion(this);
        }
    }
}
