package dev.caravan.runtime;

import dev.caravan.camel.migration.CaravanOperation;
import dev.caravan.camel.migration.MigrationConfiguration;
import dev.caravan.camel.migration.MigrationSpecFactory;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Fluent description of one object migration for Java code: it writes the {@code caravan:} endpoint URI for a
 * route, builds the {@link MigrationSpec}, or runs it directly.
 *
 * <pre>{@code
 * from("timer:nightly?repeatCount=1")
 *     .to(Migration.from("local:/data").to("local:/backup").mode(Mode.SYNC).maxDelete("10%")
 *             .include("**}{@code /*.csv").uri());
 * }</pre>
 *
 * Values are written plainly when they are URI-safe and as {@code RAW(...)} otherwise, so paths with spaces,
 * {@code +}, {@code &} or globs survive Camel's URI parsing unchanged. Instances are mutable builders; not
 * thread-safe.
 */
public final class Migration {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._~:/@-]*");

    private final String source;
    private String target;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, String> sourceOptions = new TreeMap<>();
    private final Map<String, String> targetOptions = new TreeMap<>();
    private final Map<String, String> backupOptions = new TreeMap<>();

    private Migration(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Starts a migration from a location written as {@code scheme:location}, e.g. {@code local:/data}. */
    public static Migration from(String source) {
        return new Migration(source);
    }

    /** The target location, e.g. {@code local:/backup}. */
    public Migration to(String target) {
        this.target = Objects.requireNonNull(target, "target");
        return this;
    }

    public Migration mode(Mode mode) {
        return option("mode", mode.name().toLowerCase(Locale.ROOT));
    }

    public Migration verify(VerifyMode verify) {
        return option("verify", verify.name().toLowerCase(Locale.ROOT));
    }

    public Migration compare(Compare compare) {
        return option("compare", compare.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** Sync/move guard: a count ({@code "100"}) or a share ({@code "10%"}) of the target (sync) or source (move). */
    public Migration maxDelete(String countOrPercent) {
        return option("maxDelete", countOrPercent);
    }

    /**
     * Rules for the descriptive attributes of copies (streamed or server-side), applied in order ({@code "drop:tag.*"},
     * {@code "rename:cacheControl=metadata.cache-control"}, {@code "lowercase"}); adds to earlier calls.
     */
    public Migration metadataRules(String... rules) {
        options.merge("metadataRules", String.join(";", List.of(rules)), (a, b) -> a + ";" + b);
        return this;
    }

    /**
     * Rules that write source keys as other target keys ({@code "replace:\\=\uff3c"}: every backslash as a full-width
     * one); adds to earlier calls. See {@link dev.caravan.core.plan.KeyMap}.
     */
    public Migration keyMap(String... rules) {
        options.merge("keyMap", String.join(";", List.of(rules)), (a, b) -> a + ";" + b);
        return this;
    }

    /** Globs of keys to include ({@code **} crosses folders); adds to earlier calls. */
    public Migration include(String... globs) {
        return append("include", globs);
    }

    /** Globs of keys to exclude; adds to earlier calls. */
    public Migration exclude(String... globs) {
        return append("exclude", globs);
    }

    /** Only objects at least this big, e.g. {@code "1k"}. */
    public Migration minSize(String size) {
        return option("minSize", size);
    }

    /** Only objects at most this big, e.g. {@code "1G"}. */
    public Migration maxSize(String size) {
        return option("maxSize", size);
    }

    /** Only objects modified at least this long ago, e.g. {@code "1h"}. */
    public Migration minAge(String age) {
        return option("minAge", age);
    }

    /** Only objects modified at most this long ago, e.g. {@code "30d"}. */
    public Migration maxAge(String age) {
        return option("maxAge", age);
    }

    /** Globs read from a file, one per line ({@code #} comments), as {@link #include} (docs/cli.md "Filter files"). */
    public Migration includeFrom(String file) {
        return option("includeFrom", file);
    }

    /** Globs read from a file, as {@link #exclude}. */
    public Migration excludeFrom(String file) {
        return option("excludeFrom", file);
    }

    /** Only the keys listed in a file, one per line; listed keys the source lacks are reported. */
    public Migration filesFrom(String file) {
        return option("filesFrom", file);
    }

    /** Copy at most this many bytes in one run, e.g. {@code "50G"}; the run then stops unfinished (continued later). */
    public Migration maxTransfer(String size) {
        return option("maxTransfer", size);
    }

    /** Start no object once the run has lasted this long, e.g. {@code "6h"}; see {@link #cutoffMode}. */
    public Migration maxDuration(String duration) {
        return option("maxDuration", duration);
    }

    /** What {@link #maxDuration} does to transfers in flight, {@code hard} (default), soft or cautious. */
    public Migration cutoffMode(String mode) {
        return option("cutoffMode", mode);
    }

    /**
     * Keep every target object the run deletes or overwrites under this location first, at the same key (plus
     * {@code suffix}, e.g. {@code ".2026-11-28"}, when not null; {@code keepExtension}: before the extension).
     */
    public Migration backupDir(String location, String suffix, boolean keepExtension) {
        option("backupDir", location);
        if (suffix != null) {
            option("suffix", suffix);
        }
        return option("suffixKeepExtension", Boolean.toString(keepExtension));
    }

    public Migration transfers(int parallel) {
        return option("transfers", Integer.toString(parallel));
    }

    /** Bandwidth for all transfers of the process, e.g. {@code "10M"} (bytes per second). */
    public Migration bandwidth(String bytesPerSecond) {
        return option("bandwidth", bytesPerSecond);
    }

    public Migration retries(int retries) {
        return option("retries", Integer.toString(retries));
    }

    /**
     * How long a server that refuses connections after it has answered is waited for before the run stops,
     * unfinished, e.g. {@code "5m"} (default {@code 25s}; {@code "0"} stops at the first refusal), as
     * {@code --outage-wait}.
     */
    public Migration outageWait(String duration) {
        return option("outageWait", duration);
    }

    public Migration name(String name) {
        return option("name", name);
    }

    /** A connector option of the source, e.g. {@code sourceOption("followLinks", "true")}. */
    public Migration sourceOption(String name, String value) {
        sourceOptions.put(name, value);
        return this;
    }

    /** A connector option of the target. */
    public Migration targetOption(String name, String value) {
        targetOptions.put(name, value);
        return this;
    }

    /**
     * A connector option of the backup dir ({@link #backupDir}), e.g. its own {@code endpoint}; without any, a backup
     * dir on the target's connector takes the target's options.
     */
    public Migration backupOption(String name, String value) {
        backupOptions.put(name, value);
        return this;
    }

    /** The {@code caravan:migrate?...} endpoint URI. */
    public String uri() {
        return uri(CaravanOperation.MIGRATE);
    }

    /** The endpoint URI of an operation, e.g. {@code caravan:plan?...}. */
    public String uri(CaravanOperation operation) {
        StringBuilder uri = new StringBuilder("caravan:").append(operation.uriName()).append('?');
        uri.append("source=").append(encode(source)).append("&target=").append(encode(requireTarget()));
        options.forEach((k, v) -> uri.append('&').append(k).append('=').append(encode(v)));
        sourceOptions.forEach((k, v) -> uri.append("&source.").append(k).append('=').append(encode(v)));
        targetOptions.forEach((k, v) -> uri.append("&target.").append(k).append('=').append(encode(v)));
        backupOptions.forEach((k, v) -> uri.append("&backup.").append(k).append('=').append(encode(v)));
        return uri.toString();
    }

    /** The migration as a spec (validated the same way an endpoint validates its options). */
    public MigrationSpec toSpec() {
        MigrationConfiguration c = new MigrationConfiguration();
        c.setSource(source);
        c.setTarget(requireTarget());
        c.setMode(options.get("mode"));
        c.setVerify(options.get("verify"));
        c.setCompare(options.get("compare"));
        c.setMaxDelete(options.get("maxDelete"));
        c.setMetadataRules(options.get("metadataRules"));
        c.setKeyMap(options.get("keyMap"));
        c.setInclude(options.get("include"));
        c.setExclude(options.get("exclude"));
        c.setIncludeFrom(options.get("includeFrom"));
        c.setExcludeFrom(options.get("excludeFrom"));
        c.setFilesFrom(options.get("filesFrom"));
        c.setMaxTransfer(options.get("maxTransfer"));
        c.setMaxDuration(options.get("maxDuration"));
        c.setCutoffMode(options.get("cutoffMode"));
        c.setBackupDir(options.get("backupDir"));
        c.setSuffix(options.get("suffix"));
        c.setSuffixKeepExtension(options.get("suffixKeepExtension"));
        c.setMinSize(options.get("minSize"));
        c.setMaxSize(options.get("maxSize"));
        c.setMinAge(options.get("minAge"));
        c.setMaxAge(options.get("maxAge"));
        c.setTransfers(options.get("transfers"));
        c.setBandwidth(options.get("bandwidth"));
        c.setRetries(options.get("retries"));
        c.setOutageWait(options.get("outageWait"));
        c.setName(options.get("name"));
        c.setSourceOptions(new LinkedHashMap<>(sourceOptions));
        c.setTargetOptions(new LinkedHashMap<>(targetOptions));
        c.setBackupOptions(new LinkedHashMap<>(backupOptions));
        return MigrationSpecFactory.toSpec(c);
    }

    /** Runs the migration on an engine, without Camel. */
    public RunResult run(MigrationEngine engine) {
        return engine.run(toSpec(), ProgressListener.NONE);
    }

    /** Plans the migration on an engine (a dry run). */
    public PlanResult plan(MigrationEngine engine) {
        return engine.plan(toSpec());
    }

    /** Runs the migration through the {@code caravan:} component of a started Camel context. */
    public RunResult run(CamelContext context) {
        ProducerTemplate template = context.createProducerTemplate();
        try {
            return template.requestBody(uri(), null, RunResult.class);
        } finally {
            try {
                template.stop();
            } catch (RuntimeException ignored) {
                // closing a template never matters to the caller
            }
        }
    }

    private Migration option(String name, String value) {
        options.put(name, Objects.requireNonNull(value, name));
        return this;
    }

    private Migration append(String name, String... globs) {
        String joined = String.join(",", List.of(globs));
        options.merge(name, joined, (a, b) -> a + "," + b);
        return this;
    }

    private String requireTarget() {
        if (target == null) {
            throw new IllegalStateException("Migration.from(" + source + ") has no target: call .to(\"scheme:location\")");
        }
        return target;
    }

    /** Plain when URI-safe, else RAW(..) / RAW{..}, else percent-encoded. */
    static String encode(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        if (value.indexOf(')') < 0) {
            return "RAW(" + value + ")";
        }
        if (value.indexOf('}') < 0) {
            return "RAW{" + value + "}";
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
