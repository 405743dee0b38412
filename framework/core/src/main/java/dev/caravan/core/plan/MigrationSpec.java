package dev.caravan.core.plan;

import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.metadata.MetadataRule;
import dev.caravan.core.verify.VerifyMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything that defines one object migration. Immutable; build with {@link #builder(String, String)}.
 *
 * @param name           human name for reports, e.g. the route id
 * @param source         source location {@code scheme:location}, e.g. {@code local:/data}
 * @param sourceOptions  connector options of the source (validated against its declared options)
 * @param target         target location
 * @param targetOptions  connector options of the target
 * @param mode           copy, sync or move
 * @param filters        which objects take part
 * @param compare        how "already there" is decided
 * @param verify         how each copy is verified before it is published
 * @param maxDelete      sync/move guard: a count ({@code 100}) or a share ({@code 10%}) of the target (sync) or
 *                       source (move), or {@code null} for no limit
 * @param transfers      objects moved in parallel
 * @param bandwidth      bytes per second for all transfers of the process, {@code 0} for no limit
 * @param retries        attempts per object after the first, for transient errors only
 * @param retryBaseDelay first backoff delay; doubles per attempt, with jitter
 * @param outageWait     how long a server that refuses connections after it has answered (restarting, failing over)
 *                       is waited for before the run stops, unfinished; not counted against {@code retries}
 * @param metadataRules  declared rules for the descriptive attributes of copies
 *                       ({@link dev.caravan.core.metadata.MetadataRule}: {@code drop:GLOB}, {@code rename:FROM=TO},
 *                       {@code lowercase}), applied in order; empty for none
 * @param keyMap         declared rules that write source keys as other target keys ({@link KeyMap}:
 *                       {@code replace:C=R}); empty for none
 * @param maxTransfer    the most bytes one command copies ({@code --max-transfer}): an object that would take the
 *                       bytes copied past it is not started, and the run stops unfinished once no other fits;
 *                       {@code 0} for no limit. Not part of the migration's identity: the same command with another
 *                       limit continues the same run
 * @param maxDuration    how long after its start one command starts transfers ({@code --max-duration}): the
 *                       transfers in flight are then stopped or finish, as {@code cutoffMode} says, and the run stops
 *                       unfinished; {@code null} for no limit. Not part of the migration's identity
 * @param cutoffMode     what the max duration does to the transfers in flight ({@link CutoffMode}; {@code --cutoff-mode}),
 *                       {@code null} when not given ({@link CutoffMode#DEFAULT} then applies); only with a
 *                       {@code maxDuration}. Not part of the migration's identity
 * @param backup         where the target objects the run deletes or overwrites are kept first ({@link BackupDir},
 *                       {@code --backup-dir}), or {@code null} to lose them. Not part of the migration's identity
 */
public record MigrationSpec(
        String name,
        String source,
        Map<String, String> sourceOptions,
        String target,
        Map<String, String> targetOptions,
        Mode mode,
        Filters filters,
        Compare compare,
        VerifyMode verify,
        String maxDelete,
        int transfers,
        long bandwidth,
        int retries,
        Duration retryBaseDelay,
        Duration outageWait,
        List<String> metadataRules,
        List<String> keyMap,
        long maxTransfer,
        Duration maxDuration,
        CutoffMode cutoffMode,
        BackupDir backup) {

    public MigrationSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        sourceOptions = Map.copyOf(sourceOptions);
        targetOptions = Map.copyOf(targetOptions);
        metadataRules = metadataRules == null ? List.of() : List.copyOf(metadataRules);
        MetadataRule.parseAll(metadataRules); // a malformed rule fails here, before anything runs
        keyMap = keyMap == null ? List.of() : List.copyOf(keyMap);
        KeyMap.parse(keyMap);
        if (name == null || name.isBlank()) {
            name = source + " -> " + target;
        }
        if (transfers < 1) {
            throw MigrationException.userConfig("transfers must be at least 1, got " + transfers);
        }
        if (retries < 0) {
            throw MigrationException.userConfig("retries must not be negative, got " + retries);
        }
        if (outageWait == null || outageWait.isNegative()) {
            throw MigrationException.userConfig("the outage wait must not be negative, got " + outageWait);
        }
        if (bandwidth < 0) {
            throw MigrationException.userConfig("bandwidth must not be negative, got " + bandwidth);
        }
        if (maxTransfer < 0) {
            throw MigrationException.userConfig("the maximum transfer must not be negative, got " + maxTransfer);
        }
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw MigrationException.userConfig("the maximum duration must be positive, got " + maxDuration);
        }
        if (cutoffMode != null && maxDuration == null) {
            throw MigrationException.userConfig("a cut-off mode (" + cutoffMode.shown() + ") says what happens when the"
                    + " max duration is up: set a max duration too (--max-duration), or leave the cut-off mode out");
        }
        if (maxDelete != null && !maxDelete.matches("\\d+%?")) {
            throw MigrationException.userConfig("maxDelete must be a count (100) or a percentage (10%), got '"
                    + maxDelete + "'");
        }
    }

    public static Builder builder(String source, String target) {
        return new Builder(source, target);
    }

    public Builder toBuilder() {
        Builder b = new Builder(source, target);
        b.name = name;
        b.sourceOptions = new TreeMap<>(sourceOptions);
        b.targetOptions = new TreeMap<>(targetOptions);
        b.mode = mode;
        b.filters = filters;
        b.compare = compare;
        b.verify = verify;
        b.maxDelete = maxDelete;
        b.transfers = transfers;
        b.bandwidth = bandwidth;
        b.retries = retries;
        b.retryBaseDelay = retryBaseDelay;
        b.outageWait = outageWait;
        b.metadataRules = metadataRules;
        b.keyMap = keyMap;
        b.maxTransfer = maxTransfer;
        b.maxDuration = maxDuration;
        b.cutoffMode = cutoffMode;
        b.backup = backup;
        return b;
    }

    /** The cut-off mode that applies: the one given, else {@link CutoffMode#DEFAULT}. */
    public CutoffMode cutoff() {
        return cutoffMode == null ? CutoffMode.DEFAULT : cutoffMode;
    }

    /** The {@link KeyMap} of the rules in {@link #keyMap()}. */
    public KeyMap parsedKeyMap() {
        return KeyMap.parse(keyMap);
    }

    /**
     * Deterministic id of this migration: the same source, target, mode and filters always give the same id,
     * so a rerun finds the unfinished run and the tasks it already did. Secrets do not enter it.
     */
    public String migrationId() {
        String text = String.join("\u0000", source, target, mode.name(), filters.toString(), compare.name())
                + (keyMap.isEmpty() ? "" : "\u0000keyMap\u0000" + String.join("\u0000", keyMap));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fluent builder with the defaults a careful user would pick. */
    public static final class Builder {
        private final String source;
        private final String target;
        private String name;
        private Map<String, String> sourceOptions = new TreeMap<>();
        private Map<String, String> targetOptions = new TreeMap<>();
        private Mode mode = Mode.COPY;
        private Filters filters = Filters.NONE;
        private Compare compare = Compare.SIZE_MTIME;
        private VerifyMode verify = VerifyMode.SHA256;
        private String maxDelete;
        private int transfers = 4;
        private long bandwidth;
        private int retries = 5;
        private Duration retryBaseDelay = Duration.ofMillis(200);
        private Duration outageWait = EndpointOutage.DEFAULT_WAIT;
        private List<String> metadataRules = List.of();
        private List<String> keyMap = List.of();
        private long maxTransfer;
        private Duration maxDuration;
        private CutoffMode cutoffMode;
        private BackupDir backup;

        Builder(String source, String target) {
            this.source = source;
            this.target = target;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder sourceOptions(Map<String, String> value) {
            this.sourceOptions = new TreeMap<>(value);
            return this;
        }

        public Builder targetOptions(Map<String, String> value) {
            this.targetOptions = new TreeMap<>(value);
            return this;
        }

        public Builder mode(Mode value) {
            this.mode = value;
            return this;
        }

        public Builder filters(Filters value) {
            this.filters = value;
            return this;
        }

        public Builder compare(Compare value) {
            this.compare = value;
            return this;
        }

        public Builder verify(VerifyMode value) {
            this.verify = value;
            return this;
        }

        public Builder maxDelete(String value) {
            this.maxDelete = value;
            return this;
        }

        public Builder transfers(int value) {
            this.transfers = value;
            return this;
        }

        public Builder bandwidth(long bytesPerSecond) {
            this.bandwidth = bytesPerSecond;
            return this;
        }

        public Builder retries(int value) {
            this.retries = value;
            return this;
        }

        public Builder retryBaseDelay(Duration value) {
            this.retryBaseDelay = value;
            return this;
        }

        /** How long a server's outage is waited out before the run stops, unfinished (default 25 s). */
        public Builder outageWait(Duration value) {
            this.outageWait = value;
            return this;
        }

        /** Rules for the descriptive attributes of copies, in order (see {@link MetadataRule}). */
        public Builder metadataRules(List<String> value) {
            this.metadataRules = value == null ? List.of() : List.copyOf(value);
            return this;
        }

        /** Rules that write source keys as other target keys (see {@link KeyMap}). */
        public Builder keyMap(List<String> value) {
            this.keyMap = value == null ? List.of() : List.copyOf(value);
            return this;
        }

        /** The most bytes one command copies, {@code 0} for no limit (see {@link MigrationSpec#maxTransfer()}). */
        public Builder maxTransfer(long bytes) {
            this.maxTransfer = bytes;
            return this;
        }

        /** How long one command starts transfers, {@code null} for no limit ({@link MigrationSpec#maxDuration()}). */
        public Builder maxDuration(Duration value) {
            this.maxDuration = value;
            return this;
        }

        /**
         * What the max duration does to the transfers in flight, {@code null} for the default
         * ({@link MigrationSpec#cutoffMode()}).
         */
        public Builder cutoffMode(CutoffMode value) {
            this.cutoffMode = value;
            return this;
        }

        /** Where replaced and deleted target objects are kept first, {@code null} for nowhere ({@link BackupDir}). */
        public Builder backup(BackupDir value) {
            this.backup = value;
            return this;
        }

        public MigrationSpec build() {
            return new MigrationSpec(name, source, sourceOptions, target, targetOptions, mode, filters, compare,
                    verify, maxDelete, transfers, bandwidth, retries, retryBaseDelay, outageWait, metadataRules,
                    keyMap, maxTransfer, maxDuration, cutoffMode, backup);
        }
    }
}
