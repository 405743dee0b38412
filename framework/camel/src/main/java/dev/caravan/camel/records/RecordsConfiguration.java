package dev.caravan.camel.records;

import dev.caravan.camel.support.OptionValues;
import java.util.Map;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a {@code caravan-records:} endpoint. Values are kept as text and parsed by
 * {@link RecordSpecFactory}, so a bad value gets a message naming the option. Every option can be overridden per
 * exchange by the header {@code CamelCaravan<Option>} (see {@link RecordsConstants}). The table options (include,
 * exclude, targetSchema, rename, mode, batchSize, typeMapping, maxRejects, rejectFile) are shorthands for the
 * connector options of the same name: they are handed to the side whose connector declares them, and refused when
 * it does not.
 */
@UriParams
public class RecordsConfiguration implements Cloneable {

    @UriParam(description = "Source as scheme:location: a database (jdbc:postgresql://host/db, jdbc:sqlite:/x.db),"
                            + " or, with sourceFormat, an object store holding record files (local:/in, s3:bucket/in)")
    private String source;
    @UriParam(description = "Target as scheme:location: a database, or, with targetFormat, an object store where"
                            + " part files are written")
    private String target;
    @UriParam(description = "Database source: comma-separated table globs to migrate; record files (convert, or"
                            + " sourceFormat): one glob of the objects to read, e.g. **/*.csv")
    private String include;
    @UriParam(description = "Database source: comma-separated table globs to leave out")
    private String exclude;
    @UriParam(description = "Database target: schema (or MariaDB database) where tables are created")
    private String targetSchema;
    @UriParam(description = "Database target: comma-separated renames of tables (orders=sales) and columns"
                            + " (orders.amt=amount, *.created=created_at)")
    private String rename;
    @UriParam(description = "Database target: append (default), replace or upsert; files target and convert:"
                            + " replace (default, a rerun replaces the parts) or append")
    private String mode;
    @UriParam(description = "Rows per keyset page and per committed batch (database connectors; default 10000)")
    private String batchSize;
    @UriParam(description = "Database target: type mapping rules SOURCE=TARGET separated by ;, e.g."
                            + " sqlite:REAL=double precision;JSON=jsonb")
    private String typeMapping;
    @UriParam(description = "Rows the target may refuse before the load fails (-1: no limit for tables; convert:"
                            + " default 0)")
    private String maxRejects;
    @UriParam(description = "Database target: file where refused rows are appended as JSON Lines; convert: prefix"
                            + " in the target store for the reject files")
    private String rejectFile;
    @UriParam(defaultValue = "4", description = "Split tasks copied at once (threads)")
    private String parallelism;
    @UriParam(description = "Key ranges each table is split into; default: parallelism")
    private String splitsPerTable;
    @UriParam(enums = "none,count,digest", defaultValue = "digest",
              description = "Verification after the load: none, count (rows per range) or digest (rows and digest"
                            + " per key range)")
    private String verify;
    @UriParam(description = "Rows per verification range (the granularity of a reported mismatch); default 100000")
    private String verifyRangeRows;
    @UriParam(description = "Incremental runs: a monotonically increasing key or an updated-at column; each run"
                            + " copies what changed since the previous complete run")
    private String incrementalColumn;
    @UriParam(enums = "key,updated-at", defaultValue = "key",
              description = "key: new rows only (appended); updated-at: new and changed rows (use mode=upsert)")
    private String incrementalMode;
    @UriParam(defaultValue = "3", description = "Retries of a split after a transient failure (each resumes from"
                                                + " its checkpoint)")
    private String retries;
    @UriParam(description = "Name of the migration in journal and reports; defaults to the route id")
    private String name;
    @UriParam(defaultValue = "5", description = "plan: converted sample records shown per table")
    private String sampleRows;
    @UriParam(description = "Format of the source record files (csv, jsonl, avro, parquet): makes the source an"
                            + " object store of files")
    private String sourceFormat;
    @UriParam(description = "Format of the target part files (csv, jsonl, avro, parquet): makes the target an"
                            + " object store of files")
    private String targetFormat;
    @UriParam(description = "Target files: folder of the part files under the target location; empty for its root")
    private String prefix;
    @UriParam(defaultValue = "0", description = "Target files: roll to a new part file after this many records"
                                                + " (0: no limit)")
    private String maxRecordsPerFile;
    @UriParam(defaultValue = "0", description = "Target files: roll to a new part file after about this many bytes,"
                                                + " e.g. 128M (0: no limit)")
    private String maxBytesPerFile;
    @UriParam(defaultValue = "true", description = "Fail the exchange (after setting body and headers) when a"
                                                   + " migration does not end COMPLETE or a verification differs")
    private String failOnError;
    @UriParam(description = "Schema mapping as rules separated by ;, e.g. rename.cust=customer_id;cast.amount=DECIMAL(12,2)"
                            + ";drop=a,b;derive.loaded_at=now() (a backslash escapes ; = and itself); mapping.* options"
                            + " add to it")
    private String mappingRules;
    @UriParam(prefix = "mapping.", multiValue = true,
              description = "Schema mapping: mapping.rename.a=b, mapping.cast.price=DECIMAL(12,2), mapping.drop=x,y,"
                            + " mapping.derive.loaded_at=now()")
    private Map<String, Object> mappingOptions;
    @UriParam(prefix = "sourceFormat.", multiValue = true,
              description = "Codec options of the source files, e.g. sourceFormat.delimiter=;")
    private Map<String, Object> sourceFormatOptions;
    @UriParam(prefix = "targetFormat.", multiValue = true,
              description = "Codec options of the target files, e.g. targetFormat.compression=zstd")
    private Map<String, Object> targetFormatOptions;
    @UriParam(secret = true, description = "Connector options of the source as name=value;name=value (a backslash"
                            + " escapes ; = and itself); source.* options win. For route templates, whose"
                            + " parameters cannot be maps")
    private String sourceConnector;
    @UriParam(secret = true, description = "Connector options of the target as name=value;name=value; target.* options"
                                           + " win")
    private String targetConnector;
    @UriParam(prefix = "source.", multiValue = true,
              description = "Connector options of the source (e.g. source.user=app, source.password=...; the object"
                            + " store's options when sourceFormat is set)")
    private Map<String, Object> sourceOptions;
    @UriParam(prefix = "target.", multiValue = true,
              description = "Connector options of the target (e.g. target.user=app; the object store's options when"
                            + " targetFormat is set)")
    private Map<String, Object> targetOptions;

    /** A deep copy, so endpoints never share mutable state. */
    public RecordsConfiguration copy() {
        try {
            RecordsConfiguration c = (RecordsConfiguration) clone();
            c.mappingOptions = OptionValues.copy(mappingOptions);
            c.sourceFormatOptions = OptionValues.copy(sourceFormatOptions);
            c.targetFormatOptions = OptionValues.copy(targetFormatOptions);
            c.sourceOptions = OptionValues.copy(sourceOptions);
            c.targetOptions = OptionValues.copy(targetOptions);
            return c;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** The value of a (non-map) option by name, for {@link RecordSpecFactory}. */
    Object get(String option) {
        return switch (option) {
            case "source" -> source;
            case "target" -> target;
            case "include" -> include;
            case "exclude" -> exclude;
            case "targetSchema" -> targetSchema;
            case "rename" -> rename;
            case "mode" -> mode;
            case "batchSize" -> batchSize;
            case "typeMapping" -> typeMapping;
            case "maxRejects" -> maxRejects;
            case "rejectFile" -> rejectFile;
            case "parallelism" -> parallelism;
            case "splitsPerTable" -> splitsPerTable;
            case "verify" -> verify;
            case "verifyRangeRows" -> verifyRangeRows;
            case "incrementalColumn" -> incrementalColumn;
            case "incrementalMode" -> incrementalMode;
            case "retries" -> retries;
            case "name" -> name;
            case "sampleRows" -> sampleRows;
            case "sourceFormat" -> sourceFormat;
            case "targetFormat" -> targetFormat;
            case "prefix" -> prefix;
            case "maxRecordsPerFile" -> maxRecordsPerFile;
            case "maxBytesPerFile" -> maxBytesPerFile;
            case "failOnError" -> failOnError;
            case "mappingRules" -> mappingRules;
            case "sourceConnector" -> sourceConnector;
            case "targetConnector" -> targetConnector;
            default -> throw new IllegalArgumentException("not an option: " + option);
        };
    }

    /** The map options by prefix ({@code mapping}, {@code sourceFormat}, {@code targetFormat}, {@code source}, ...). */
    Map<String, Object> map(String prefix) {
        return switch (prefix) {
            case "mapping" -> mappingOptions;
            case "sourceFormat" -> sourceFormatOptions;
            case "targetFormat" -> targetFormatOptions;
            case "source" -> sourceOptions;
            case "target" -> targetOptions;
            default -> throw new IllegalArgumentException("not a map option: " + prefix);
        };
    }

    // ---- bean accessors (Camel sets the options through them)

    public String getSource() { return source; }
    public void setSource(String v) { source = v; }
    public String getTarget() { return target; }
    public void setTarget(String v) { target = v; }
    public String getInclude() { return include; }
    public void setInclude(String v) { include = v; }
    public String getExclude() { return exclude; }
    public void setExclude(String v) { exclude = v; }
    public String getTargetSchema() { return targetSchema; }
    public void setTargetSchema(String v) { targetSchema = v; }
    public String getRename() { return rename; }
    public void setRename(String v) { rename = v; }
    public String getMode() { return mode; }
    public void setMode(String v) { mode = v; }
    public String getBatchSize() { return batchSize; }
    public void setBatchSize(String v) { batchSize = v; }
    public String getTypeMapping() { return typeMapping; }
    public void setTypeMapping(String v) { typeMapping = v; }
    public String getMaxRejects() { return maxRejects; }
    public void setMaxRejects(String v) { maxRejects = v; }
    public String getRejectFile() { return rejectFile; }
    public void setRejectFile(String v) { rejectFile = v; }
    public String getParallelism() { return parallelism; }
    public void setParallelism(String v) { parallelism = v; }
    public String getSplitsPerTable() { return splitsPerTable; }
    public void setSplitsPerTable(String v) { splitsPerTable = v; }
    public String getVerify() { return verify; }
    public void setVerify(String v) { verify = v; }
    public String getVerifyRangeRows() { return verifyRangeRows; }
    public void setVerifyRangeRows(String v) { verifyRangeRows = v; }
    public String getIncrementalColumn() { return incrementalColumn; }
    public void setIncrementalColumn(String v) { incrementalColumn = v; }
    public String getIncrementalMode() { return incrementalMode; }
    public void setIncrementalMode(String v) { incrementalMode = v; }
    public String getRetries() { return retries; }
    public void setRetries(String v) { retries = v; }
    public String getName() { return name; }
    public void setName(String v) { name = v; }
    public String getSampleRows() { return sampleRows; }
    public void setSampleRows(String v) { sampleRows = v; }
    public String getSourceFormat() { return sourceFormat; }
    public void setSourceFormat(String v) { sourceFormat = v; }
    public String getTargetFormat() { return targetFormat; }
    public void setTargetFormat(String v) { targetFormat = v; }
    public String getPrefix() { return prefix; }
    public void setPrefix(String v) { prefix = v; }
    public String getMaxRecordsPerFile() { return maxRecordsPerFile; }
    public void setMaxRecordsPerFile(String v) { maxRecordsPerFile = v; }
    public String getMaxBytesPerFile() { return maxBytesPerFile; }
    public void setMaxBytesPerFile(String v) { maxBytesPerFile = v; }
    public String getFailOnError() { return failOnError; }
    public void setFailOnError(String v) { failOnError = v; }
    public String getSourceConnector() { return sourceConnector; }
    public void setSourceConnector(String v) { sourceConnector = v; }
    public String getTargetConnector() { return targetConnector; }
    public void setTargetConnector(String v) { targetConnector = v; }
    public String getMappingRules() { return mappingRules; }
    public void setMappingRules(String v) { mappingRules = v; }
    public Map<String, Object> getMappingOptions() { return mappingOptions; }
    public void setMappingOptions(Map<String, Object> v) { mappingOptions = v; }
    public Map<String, Object> getSourceFormatOptions() { return sourceFormatOptions; }
    public void setSourceFormatOptions(Map<String, Object> v) { sourceFormatOptions = v; }
    public Map<String, Object> getTargetFormatOptions() { return targetFormatOptions; }
    public void setTargetFormatOptions(Map<String, Object> v) { targetFormatOptions = v; }
    public Map<String, Object> getSourceOptions() { return sourceOptions; }
    public void setSourceOptions(Map<String, Object> v) { sourceOptions = v; }
    public Map<String, Object> getTargetOptions() { return targetOptions; }
    public void setTargetOptions(Map<String, Object> v) { targetOptions = v; }
}
