package dev.caravan.camel.migration;

import dev.caravan.camel.support.OptionValues;
import java.util.Map;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a {@code caravan:} endpoint, one per field of {@link dev.caravan.core.plan.MigrationSpec}. Values
 * are kept as text and parsed by {@link MigrationSpecFactory}, so sizes ({@code 10M}), durations ({@code 7d}) and
 * lower-case enum names are accepted and a bad value gets a message naming the option. Every option can be
 * overridden per exchange by the header {@code CamelCaravan<Option>} (see {@link CaravanConstants}).
 */
@UriParams
public class MigrationConfiguration implements Cloneable {

    @UriParam(description = "Source location as scheme:location, e.g. local:/data")
    private String source;
    @UriParam(description = "Target location as scheme:location, e.g. local:/backup")
    private String target;
    @UriParam(enums = "copy,sync,move", defaultValue = "copy",
              description = "copy: copy new and changed objects; sync: also delete target objects missing from the"
                            + " source (guarded by maxDelete); move: delete each source object once its copy is verified")
    private String mode;
    @UriParam(description = "Comma-separated globs of keys to include (** crosses folders); empty for all")
    private String include;
    @UriParam(description = "Comma-separated globs of keys to exclude")
    private String exclude;
    @UriParam(description = "A file of globs to include, one a line (blank lines and # comments ignored), added to"
                            + " include; read when the route starts")
    private String includeFrom;
    @UriParam(description = "A file of globs to exclude, one a line, added to exclude; read when the route starts")
    private String excludeFrom;
    @UriParam(description = "A file listing the only keys to migrate, one key relative to the source a line (blank"
                            + " lines and # comments ignored); a sync deletes only listed keys the source lacks; read"
                            + " when the route starts")
    private String filesFrom;
    @UriParam(description = "Only objects at least this big, e.g. 1k, 10M")
    private String minSize;
    @UriParam(description = "Only objects at most this big, e.g. 1G")
    private String maxSize;
    @UriParam(description = "Only objects modified at least this long ago, e.g. 1h, 7d")
    private String minAge;
    @UriParam(description = "Only objects modified at most this long ago, e.g. 30d")
    private String maxAge;
    @UriParam(enums = "size-mtime,size,checksum", defaultValue = "size-mtime",
              description = "How an existing target object is found to be up to date")
    private String compare;
    @UriParam(enums = "none,size,sha256", defaultValue = "sha256",
              description = "How every copy is verified before it is published under its final name")
    private String verify;
    @UriParam(description = "Sync/move guard: refuse to delete more than this many objects (100) or this share of"
                            + " the target (10%); empty for no limit")
    private String maxDelete;
    @UriParam(description = "Rules for the descriptive attributes of copies (streamed or server-side),"
                            + " ';'-separated, applied in order: drop:GLOB, rename:FROM=TO, lowercase (what the"
                            + " target cannot hold after them is listed in the report)")
    private String metadataRules;
    @UriParam(description = "Rules that write source keys as other target keys, ';'-separated: replace:C=R writes"
                            + " every character C as R (e.g. replace:\\=\uff3c for Azure Blob), trailing:C=R writes C as R"
                            + " where it ends a file or folder name (e.g. trailing:.=\uff0e); reruns, syncs, moves"
                            + " and verification pair objects by these target keys")
    private String keyMap;
    @UriParam(defaultValue = "4", description = "Objects transferred in parallel")
    private String transfers;
    @UriParam(defaultValue = "0", description = "Bandwidth limit for all transfers of the process in bytes per"
                                                + " second, e.g. 10M; 0 for no limit")
    private String bandwidth;
    @UriParam(defaultValue = "5", description = "Attempts per object after the first, for transient errors only")
    private String retries;
    @UriParam(defaultValue = "25s", description = "How long a server that refuses connections after it has answered"
                                                 + " (restarting, failing over) is waited for before the run stops,"
                                                 + " unfinished; not counted in retries. 0 stops at the first refusal")
    private String outageWait;
    @UriParam(defaultValue = "0", description = "The most bytes one run copies, e.g. 50G; an object that would go past it"
                                                + " is not started, and the run stops unfinished (exit code 3), without"
                                                + " its deletions, for the next run to continue; 0 for no limit")
    private String maxTransfer;
    @UriParam(description = "How long after its start one run starts objects, e.g. 6h; the transfers in flight are then"
                            + " stopped or finish, as cutoffMode says, and the run stops unfinished (exit code 3),"
                            + " without its deletions, for the next run to continue; empty for no limit")
    private String maxDuration;
    @UriParam(enums = "hard,soft,cautious",
              description = "What maxDuration does to the transfers in flight: hard (the default) stops them at the"
                            + " deadline, for the next run to continue (a multipart upload from its finished parts);"
                            + " soft lets them finish; cautious starts no object that would not finish before the"
                            + " deadline at the throughput measured so far. Only with maxDuration; empty for the default")
    private String cutoffMode;
    @UriParam(description = "Where every target object the run deletes or overwrites is kept first, under the same"
                            + " key, e.g. local:/backups/2026-11-28 or s3:bucket/old/ (as rclone's --backup-dir); it"
                            + " must lie outside the source and the target; empty to keep nothing")
    private String backupDir;
    @UriParam(description = "Added to the name of each object kept in backupDir, e.g. .2026-11-28; only with backupDir")
    private String suffix;
    @UriParam(defaultValue = "false", description = "Put suffix before the name's extension (a.2026-11-28.txt)")
    private String suffixKeepExtension;
    @UriParam(description = "Name of the migration in reports; defaults to the route id")
    private String name;
    @UriParam(prefix = "source.", multiValue = true,
              description = "Connector options of the source, e.g. source.followLinks=true")
    private Map<String, Object> sourceOptions;
    @UriParam(prefix = "target.", multiValue = true,
              description = "Connector options of the target, e.g. target.fsync=true")
    private Map<String, Object> targetOptions;
    @UriParam(prefix = "backup.", multiValue = true,
              description = "Connector options of backupDir (its own endpoint, credentials), e.g. backup.endpoint=...;"
                      + " without any, backupDir on the target's connector takes the target options")
    private Map<String, Object> backupOptions;
    @UriParam(secret = true, description = "Connector options of backupDir as name=value;name=value (a backslash"
                            + " escapes ; = and itself); backup.* options win. For route templates, whose"
                            + " parameters cannot be maps")
    private String backupConnector;

    /** A deep copy, so endpoints never share mutable state. */
    public MigrationConfiguration copy() {
        try {
            MigrationConfiguration c = (MigrationConfiguration) clone();
            c.sourceOptions = OptionValues.copy(sourceOptions);
            c.targetOptions = OptionValues.copy(targetOptions);
            c.backupOptions = OptionValues.copy(backupOptions);
            return c;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getSource() {
        return source;
    }

    /** Source location as scheme:location, e.g. local:/data. */
    public void setSource(String source) {
        this.source = source;
    }

    public String getTarget() {
        return target;
    }

    /** Target location as scheme:location, e.g. local:/backup. */
    public void setTarget(String target) {
        this.target = target;
    }

    public String getMode() {
        return mode;
    }

    /** copy (default), sync or move. */
    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getInclude() {
        return include;
    }

    /** Comma-separated globs of keys to include; commas inside {a,b} do not split. */
    public void setInclude(String include) {
        this.include = include;
    }

    public String getExclude() {
        return exclude;
    }

    /** Comma-separated globs of keys to exclude. */
    public void setExclude(String exclude) {
        this.exclude = exclude;
    }

    public String getIncludeFrom() {
        return includeFrom;
    }

    /** A file of include globs, one a line. */
    public void setIncludeFrom(String includeFrom) {
        this.includeFrom = includeFrom;
    }

    public String getExcludeFrom() {
        return excludeFrom;
    }

    /** A file of exclude globs, one a line. */
    public void setExcludeFrom(String excludeFrom) {
        this.excludeFrom = excludeFrom;
    }

    public String getFilesFrom() {
        return filesFrom;
    }

    /** A file of the only keys to migrate, one a line. */
    public void setFilesFrom(String filesFrom) {
        this.filesFrom = filesFrom;
    }

    public String getMinSize() {
        return minSize;
    }

    /** Only objects at least this big, e.g. 1k. */
    public void setMinSize(String minSize) {
        this.minSize = minSize;
    }

    public String getMaxSize() {
        return maxSize;
    }

    /** Only objects at most this big, e.g. 1G. */
    public void setMaxSize(String maxSize) {
        this.maxSize = maxSize;
    }

    public String getMinAge() {
        return minAge;
    }

    /** Only objects modified at least this long ago, e.g. 1h. */
    public void setMinAge(String minAge) {
        this.minAge = minAge;
    }

    public String getMaxAge() {
        return maxAge;
    }

    /** Only objects modified at most this long ago, e.g. 30d. */
    public void setMaxAge(String maxAge) {
        this.maxAge = maxAge;
    }

    public String getCompare() {
        return compare;
    }

    /** size-mtime (default), size or checksum. */
    public void setCompare(String compare) {
        this.compare = compare;
    }

    public String getVerify() {
        return verify;
    }

    /** none, size or sha256 (default). */
    public void setVerify(String verify) {
        this.verify = verify;
    }

    public String getMaxDelete() {
        return maxDelete;
    }

    /** A count (100) or a share (10%) of the target (sync) or the source (move). */
    public void setMaxDelete(String maxDelete) {
        this.maxDelete = maxDelete;
    }

    public String getMetadataRules() {
        return metadataRules;
    }

    /** e.g. {@code drop:tag.*;rename:cacheControl=metadata.cache-control}. */
    public void setMetadataRules(String metadataRules) {
        this.metadataRules = metadataRules;
    }

    public String getKeyMap() {
        return keyMap;
    }

    /** e.g. {@code replace:\=＼;replace::=：}. */
    public void setKeyMap(String keyMap) {
        this.keyMap = keyMap;
    }

    public String getTransfers() {
        return transfers;
    }

    /** Objects transferred in parallel (default 4). */
    public void setTransfers(String transfers) {
        this.transfers = transfers;
    }

    public String getBandwidth() {
        return bandwidth;
    }

    /** Bytes per second for all transfers, e.g. 10M; 0 for no limit. */
    public void setBandwidth(String bandwidth) {
        this.bandwidth = bandwidth;
    }

    public String getRetries() {
        return retries;
    }

    /** Attempts per object after the first, for transient errors only (default 5). */
    public void setRetries(String retries) {
        this.retries = retries;
    }

    public String getOutageWait() {
        return outageWait;
    }

    /** How long a server's outage is waited out before the run stops, unfinished, e.g. 2m (default 25s). */
    public void setOutageWait(String outageWait) {
        this.outageWait = outageWait;
    }

    public String getMaxTransfer() {
        return maxTransfer;
    }

    /** The most bytes one run copies, e.g. 50G (default 0: no limit). */
    public void setMaxTransfer(String maxTransfer) {
        this.maxTransfer = maxTransfer;
    }

    public String getMaxDuration() {
        return maxDuration;
    }

    /** How long after its start one run starts objects, e.g. 6h (default: no limit). */
    public void setMaxDuration(String maxDuration) {
        this.maxDuration = maxDuration;
    }

    public String getCutoffMode() {
        return cutoffMode;
    }

    /** What maxDuration does to the transfers in flight: hard (default), soft or cautious. */
    public void setCutoffMode(String cutoffMode) {
        this.cutoffMode = cutoffMode;
    }

    public String getBackupDir() {
        return backupDir;
    }

    /** Where every target object the run deletes or overwrites is kept first (default: nowhere). */
    public void setBackupDir(String backupDir) {
        this.backupDir = backupDir;
    }

    public String getSuffix() {
        return suffix;
    }

    /** Added to the name of each object kept in the backup dir. */
    public void setSuffix(String suffix) {
        this.suffix = suffix;
    }

    public String getSuffixKeepExtension() {
        return suffixKeepExtension;
    }

    /** Whether the suffix goes before the name's extension. */
    public void setSuffixKeepExtension(String suffixKeepExtension) {
        this.suffixKeepExtension = suffixKeepExtension;
    }

    public String getName() {
        return name;
    }

    /** Name of the migration in reports; defaults to the route id. */
    public void setName(String name) {
        this.name = name;
    }

    public Map<String, Object> getSourceOptions() {
        return sourceOptions;
    }

    /** Connector options of the source (URI prefix {@code source.}). */
    public void setSourceOptions(Map<String, Object> sourceOptions) {
        this.sourceOptions = sourceOptions;
    }

    public Map<String, Object> getTargetOptions() {
        return targetOptions;
    }

    /** Connector options of the target (URI prefix {@code target.}). */
    public void setTargetOptions(Map<String, Object> targetOptions) {
        this.targetOptions = targetOptions;
    }

    public Map<String, Object> getBackupOptions() {
        return backupOptions;
    }

    /** Connector options of the backup dir (URI prefix {@code backup.}). */
    public void setBackupOptions(Map<String, Object> backupOptions) {
        this.backupOptions = backupOptions;
    }

    public String getBackupConnector() {
        return backupConnector;
    }

    /** Connector options of the backup dir as {@code name=value;name=value}, under the {@code backup.} ones. */
    public void setBackupConnector(String backupConnector) {
        this.backupConnector = backupConnector;
    }
}
