package dev.caravan.camel.records;

import dev.caravan.api.ConnectorProvider;
import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.migration.CaravanConstants;
import dev.caravan.camel.support.OptionPairs;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.camel.support.StoreLocations;
import dev.caravan.core.records.TableMigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.registry.Endpoint;
import dev.caravan.formats.Codecs;
import dev.caravan.formats.FormatCodec;
import dev.caravan.formats.mapping.RecordMapping;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the options of a {@code caravan-records:} endpoint, overridden by exchange headers, into a
 * {@link RecordsRequest}: the one place where header-over-option precedence and the hand-over of the table
 * shorthands to the connectors are decided. An input header {@code CamelCaravan<Option>} wins over the endpoint option;
 * blank values count as unset; explicit {@code source.}/{@code target.} connector options win over shorthands.
 */
public final class RecordSpecFactory {
    private static final Function<String, Object> NO_HEADERS = h -> null;
    /** Shorthands handed to the source connector. */
    private static final List<String> SOURCE_SHORTHANDS = List.of("include", "exclude");
    /** Shorthands handed to the target connector. */
    private static final List<String> TARGET_SHORTHANDS = List.of("targetSchema", "rename", "mode", "typeMapping",
            "maxRejects", "rejectFile");

    private RecordSpecFactory() {
    }

    /**
     * Builds the request of one exchange.
     *
     * @param operation   the operation (decides whether a record migration or a conversion is built)
     * @param config      the endpoint options
     * @param headers     header lookup by name
     * @param defaultName name when neither option nor header gives one (e.g. the route id), or {@code null}
     * @param registry    the connectors, {@code files} included
     * @throws MigrationException USER_CONFIG for a missing or malformed option
     */
    public static RecordsRequest toRequest(RecordsOperation operation, RecordsConfiguration config,
            Function<String, Object> headers, String defaultName, ConnectorRegistry registry) {
        Values v = new Values(config, headers == null ? NO_HEADERS : headers);
        boolean failOnError = OptionValues.bool("failOnError", v.get("failOnError"), true);
        int sample = OptionValues.intValue("sampleRows", v.get("sampleRows"), 5);
        if (operation == RecordsOperation.CONVERT) {
            return new RecordsRequest(operation, null, conversion(v, defaultName), sample, failOnError);
        }
        return new RecordsRequest(operation, tableSpec(v, defaultName, registry), null, sample, failOnError);
    }

    /**
     * Checks the options at endpoint creation: values parse, and when source and target are set, both connectors
     * exist and accept the options they would get. Source and target may be left for headers.
     */
    public static void validate(RecordsOperation operation, RecordsConfiguration config, ConnectorRegistry registry) {
        Values v = new Values(config, NO_HEADERS);
        OptionValues.bool("failOnError", v.get("failOnError"), true);
        OptionValues.intValue("sampleRows", v.get("sampleRows"), 5);
        mapping(v);
        if (v.text("source") == null || v.text("target") == null) {
            return;
        }
        if (operation == RecordsOperation.CONVERT) {
            RecordsRequest.Conversion c = conversion(v, null);
            StoreLocations.check("source", c.source(), c.sourceOptions(), registry);
            StoreLocations.check("target", c.target(), c.targetOptions(), registry);
            Codecs.get(c.sourceFormat()).config(c.sourceFormatOptions());
            Codecs.get(c.targetFormat()).config(c.targetFormatOptions());
            return;
        }
        TableMigrationSpec spec = tableSpec(v, null, registry);
        resolve("source", spec.source(), spec.sourceOptions(), registry);
        resolve("target", spec.target(), spec.targetOptions(), registry);
    }

    private static void resolve(String role, String uri, Map<String, String> options, ConnectorRegistry registry) {
        try {
            registry.require(Endpoint.parse(uri).scheme()).options().resolve(options);
        } catch (MigrationException e) {
            throw new MigrationException(e.kind(), role + " '" + uri + "': " + e.getMessage(), e);
        }
    }

    private static TableMigrationSpec tableSpec(Values v, String defaultName, ConnectorRegistry registry) {
        Side source = side(v, "source", registry);
        Side target = side(v, "target", registry);
        String batchSize = v.text("batchSize");
        if (batchSize != null) {
            boolean taken = source.offer("batchSize", batchSize) | target.offer("batchSize", batchSize);
            if (!taken) {
                throw MigrationException.userConfig("option 'batchSize' applies to neither the source connector '"
                        + source.scheme() + "' nor the target connector '" + target.scheme() + "'");
            }
        }
        for (String s : SOURCE_SHORTHANDS) {
            if (!(source.files && s.equals("include"))) {
                source.require(s, v.text(s));
            }
        }
        for (String s : TARGET_SHORTHANDS) {
            if (!(target.files && s.equals("mode"))) {
                target.require(s, v.text(s));
            }
        }
        TableMigrationSpec.Builder b = TableMigrationSpec.builder(source.uri, target.uri)
                .sourceOptions(source.options).targetOptions(target.options)
                .parallelism(positive("parallelism", v.get("parallelism"), 4))
                .retries(OptionValues.intValue("retries", v.get("retries"), 3), Duration.ofMillis(500))
                .mapping(MappingHook.of(mapping(v)));
        String splits = v.text("splitsPerTable");
        if (splits != null) {
            b.splitsPerTable(positive("splitsPerTable", splits, 1));
        }
        String rangeRows = v.text("verifyRangeRows");
        if (rangeRows != null) {
            b.verifyRangeRows(positive("verifyRangeRows", rangeRows, 1));
        }
        b.verify(OptionValues.enumValue("verify", v.get("verify"), TableMigrationSpec.Verify.class,
                TableMigrationSpec.Verify.DIGEST));
        String column = v.text("incrementalColumn");
        TableMigrationSpec.Incremental.Mode incMode = OptionValues.enumValue("incrementalMode",
                v.get("incrementalMode"), TableMigrationSpec.Incremental.Mode.class,
                TableMigrationSpec.Incremental.Mode.KEY);
        if (column != null) {
            b.incremental(column, incMode);
        }
        String name = v.text("name");
        b.name(name != null ? name : defaultName);
        return b.build();
    }

    /** One side of a record migration: its URI (wrapped in {@code files:} with a format) and connector options. */
    private static Side side(Values v, String role, ConnectorRegistry registry) {
        String uri = v.required(role);
        Map<String, String> raw = v.connectorOptions(role);
        String format = v.text(role + "Format");
        if (format == null) {
            ConnectorProvider p = registry.require(Endpoint.parse(uri).scheme());
            if (!(p instanceof dev.caravan.api.record.RecordProvider)) {
                throw MigrationException.userConfig(role + " '" + uri + "' is not a database or record connector: set"
                        + " " + role + "Format (csv, jsonl, avro or parquet) to " + (role.equals("source") ? "read"
                        : "write") + " record files there, or give a jdbc: location");
            }
            return new Side(role, uri, new TreeMap<>(raw), p, false);
        }
        FormatCodec codec = Codecs.get(format);
        Map<String, String> files = new TreeMap<>();
        files.put("format", codec.name());
        files.put("formatOptions", OptionPairs.join(OptionValues.textMap(v.map(role + "Format"))));
        if (!raw.isEmpty()) {
            files.put("storeOptions", OptionPairs.join(raw));
        }
        if (role.equals("source")) {
            putIfSet(files, "include", v.text("include"));
        } else {
            putIfSet(files, "prefix", v.text("prefix"));
            putIfSet(files, "maxRecordsPerFile", v.text("maxRecordsPerFile"));
            putIfSet(files, "maxBytesPerFile", v.text("maxBytesPerFile"));
            putIfSet(files, "mode", v.text("mode"));
        }
        Endpoint.parse(uri); // a bare path fails here with a hint
        String wrapped = FilesRecordProvider.SCHEME + ":" + uri;
        return new Side(role, wrapped, files, registry.require(FilesRecordProvider.SCHEME), true);
    }

    private static RecordsRequest.Conversion conversion(Values v, String defaultName) {
        String source = v.required("source");
        String target = v.required("target");
        String sourceFormat = v.text("sourceFormat");
        String include = v.text("include");
        if (sourceFormat == null && include != null) {
            sourceFormat = Codecs.forKey(include).map(FormatCodec::name).orElse(null);
        }
        if (sourceFormat == null) {
            throw MigrationException.userConfig("option 'sourceFormat' is required for convert (csv, jsonl, avro or"
                    + " parquet), unless include ends with the format's extension (e.g. **/*.csv)");
        }
        String targetFormat = v.text("targetFormat");
        if (targetFormat == null) {
            throw MigrationException.userConfig("option 'targetFormat' is required for convert: csv, jsonl, avro or"
                    + " parquet");
        }
        FormatCodec in = Codecs.get(sourceFormat);
        FormatCodec out = Codecs.get(targetFormat);
        String mode = OptionValues.text(v.get("mode"));
        if (mode != null && !mode.equalsIgnoreCase("replace") && !mode.equalsIgnoreCase("append")) {
            throw MigrationException.userConfig("option 'mode': '" + mode + "' is not one of replace, append (the"
                    + " modes of convert)");
        }
        boolean append = mode != null && mode.equalsIgnoreCase("append");
        String verify = OptionValues.text(v.get("verify"));
        if (verify != null && !List.of("none", "count", "digest", "values").contains(verify.toLowerCase(Locale.ROOT))) {
            throw MigrationException.userConfig("option 'verify': '" + verify + "' is not one of digest (every value"
                    + " compared, the default) or none (the verifications of convert)");
        }
        String name = v.text("name");
        return new RecordsRequest.Conversion(name != null ? name : defaultName, source, v.connectorOptions("source"),
                include != null ? include : "**/*." + in.extension(), in.name(),
                OptionValues.textMap(v.map("sourceFormat")), target, v.connectorOptions("target"),
                v.text("prefix") == null ? "" : v.text("prefix"), out.name(),
                OptionValues.textMap(v.map("targetFormat")), mapping(v),
                OptionValues.size("maxRecordsPerFile", v.get("maxRecordsPerFile"), 0),
                OptionValues.size("maxBytesPerFile", v.get("maxBytesPerFile"), 0),
                OptionValues.size("maxRejects", v.get("maxRejects"), 0), v.text("rejectFile"), append,
                verify == null || !verify.equalsIgnoreCase("none"));
    }

    private static RecordMapping mapping(Values v) {
        Map<String, String> spec = new LinkedHashMap<>(OptionPairs.parse("mappingRules", v.text("mappingRules")));
        spec.putAll(OptionValues.textMap(v.map("mapping")));
        Object header = v.headers.apply(CaravanConstants.headerOf("mapping"));
        if (header instanceof Map<?, ?> map) {
            map.forEach((k, val) -> {
                if (k != null && val != null) {
                    spec.put(k.toString(), val.toString());
                }
            });
        }
        return RecordMapping.fromMap(spec);
    }

    private static int positive(String option, Object value, int fallback) {
        int n = OptionValues.intValue(option, value, fallback);
        if (n < 1) {
            throw MigrationException.userConfig("option '" + option + "': must be at least 1, got " + n);
        }
        return n;
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** A side being built. */
    private record Side(String role, String uri, Map<String, String> options, ConnectorProvider provider,
            boolean files) {
        String scheme() {
            return provider.scheme();
        }

        /** Hands a shorthand to the connector if it declares it; explicit connector options win. */
        boolean offer(String option, String value) {
            if (provider.options().find(option).isEmpty()) {
                return false;
            }
            options.putIfAbsent(option, value);
            return true;
        }

        /** Hands a shorthand over, or fails when the connector has no such option. */
        void require(String option, String value) {
            if (value != null && !offer(option, value)) {
                throw MigrationException.userConfig("option '" + option + "' does not apply to the " + role
                        + " connector '" + scheme() + "' (" + role + " " + uri + "); its options: " + String.join(
                        ", ", provider.options().list().stream().map(d -> d.name()).toList()));
            }
        }
    }

    /** Option values with header precedence. */
    private static final class Values {
        private final RecordsConfiguration config;
        private final Function<String, Object> headers;

        Values(RecordsConfiguration config, Function<String, Object> headers) {
            this.config = config;
            this.headers = headers;
        }

        Object get(String option) {
            Object header = headers.apply(CaravanConstants.headerOf(option));
            if (OptionValues.text(header) != null) {
                return header;
            }
            return config.get(option);
        }

        String text(String option) {
            return OptionValues.text(get(option));
        }

        Map<String, Object> map(String prefix) {
            return config.map(prefix);
        }

        String required(String option) {
            String value = text(option);
            if (value == null) {
                throw MigrationException.userConfig("option '" + option + "' is required: set it on the endpoint ("
                        + option + "=jdbc:sqlite:/data/app.db) or in the header " + CaravanConstants.headerOf(option));
            }
            return value;
        }

        Map<String, String> connectorOptions(String role) {
            Map<String, String> out = OptionValues.textMap(OptionPairs.parse(role + "Connector",
                    text(role + "Connector")));
            out.putAll(OptionValues.textMap(config.map(role)));
            Object header = headers.apply(CaravanConstants.headerOf(role + "Options"));
            if (header instanceof Map<?, ?> map) {
                map.forEach((k, val) -> {
                    if (k != null && val != null && !val.toString().isBlank()) {
                        out.put(k.toString(), val.toString());
                    }
                });
            }
            return out;
        }
    }
}
