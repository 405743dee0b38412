package dev.caravan.camel.migration;

import dev.caravan.api.error.MigrationException;
import dev.caravan.camel.support.OptionPairs;
import dev.caravan.camel.support.OptionValues;
import dev.caravan.camel.support.StoreLocations;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.CutoffMode;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.verify.VerifyMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the options of a {@code caravan:} endpoint, overridden by exchange headers, into a
 * {@link MigrationSpec}. This is the one place where header-over-option precedence is decided: an input header
 * {@code CamelCaravan<Option>} wins over the endpoint option, blank values count as unset, and unset options keep the
 * defaults of {@link MigrationSpec.Builder}.
 */
public final class MigrationSpecFactory {
    private static final Function<String, Object> NO_HEADERS = h -> null;

    private MigrationSpecFactory() {
    }

    /**
     * Builds the spec of one exchange.
     *
     * @param config      the endpoint options
     * @param headers     header lookup by name ({@code name -> null} when there are none)
     * @param defaultName name to use when neither option nor header gives one (e.g. the route id), or {@code null}
     * @throws MigrationException USER_CONFIG for a missing source/target or a malformed value
     */
    public static MigrationSpec toSpec(MigrationConfiguration config, Function<String, Object> headers,
            String defaultName) {
        return toSpec(config, headers, defaultName, null);
    }

    /**
     * As {@link #toSpec(MigrationConfiguration, Function, String)}, with the filter files as read when the route
     * started ({@code null}: read them now); a header naming other files has those read now.
     */
    static MigrationSpec toSpec(MigrationConfiguration config, Function<String, Object> headers, String defaultName,
            FilterFileContents started) {
        Values v = new Values(config, headers == null ? NO_HEADERS : headers);
        MigrationSpec.Builder b = MigrationSpec.builder(v.required("source"), v.required("target"));
        apply(v, b, defaultName);
        FilterFileContents files = started != null && started.readFrom(v.text("includeFrom"), v.text("excludeFrom"),
                v.text("filesFrom")) ? started : filterFiles(v);
        return b.filters(files.addTo(b.build().filters())).build();
    }

    /** Reads the filter files the options (headers first) name. */
    static FilterFileContents filterFiles(MigrationConfiguration config, Function<String, Object> headers) {
        return filterFiles(new Values(config, headers == null ? NO_HEADERS : headers));
    }

    private static FilterFileContents filterFiles(Values v) {
        return FilterFileContents.read(v.text("includeFrom"), v.text("excludeFrom"), v.text("filesFrom"));
    }

    /** The spec of the endpoint options alone. */
    public static MigrationSpec toSpec(MigrationConfiguration config) {
        return toSpec(config, NO_HEADERS, null);
    }

    /**
     * Checks every option that is set, at endpoint creation: values parse, cross-field rules hold, and source and
     * target (when given) name known object-store connectors whose options are valid. Source and target may be
     * left for headers.
     */
    public static void validate(MigrationConfiguration config, ConnectorRegistry registry) {
        Values v = new Values(config, NO_HEADERS);
        MigrationSpec probe = apply(v, MigrationSpec.builder("validate:source", "validate:target"), null).build();
        probe.filters().matcher(Instant.now()); // compiles the globs: a bad one fails here, not mid-route
        StoreLocations.check("source", v.text("source"), v.connectorOptions("source"), registry);
        StoreLocations.check("target", v.text("target"), v.connectorOptions("target"), registry);
        StoreLocations.check("backup", v.text("backupDir"), v.connectorOptions("backup"), registry);
    }

    private static MigrationSpec.Builder apply(Values v, MigrationSpec.Builder b, String defaultName) {
        Mode mode = OptionValues.enumValue("mode", v.get("mode"), Mode.class, null);
        if (mode != null) {
            b.mode(mode);
        }
        Compare compare = OptionValues.enumValue("compare", v.get("compare"), Compare.class, null);
        if (compare != null) {
            b.compare(compare);
        }
        VerifyMode verify = OptionValues.enumValue("verify", v.get("verify"), VerifyMode.class, null);
        if (verify != null) {
            b.verify(verify);
        }
        b.filters(new Filters(OptionValues.globs(v.get("include")), OptionValues.globs(v.get("exclude")),
                OptionValues.size("minSize", v.get("minSize"), -1), OptionValues.size("maxSize", v.get("maxSize"), -1),
                OptionValues.duration("minAge", v.get("minAge")), OptionValues.duration("maxAge", v.get("maxAge"))));
        String maxDelete = v.text("maxDelete");
        if (maxDelete != null) {
            b.maxDelete(maxDelete);
        }
        String rules = v.text("metadataRules");
        if (rules != null) {
            b.metadataRules(Arrays.stream(rules.split(";")).map(String::trim).filter(r -> !r.isEmpty()).toList());
        }
        String keyMap = v.text("keyMap");
        if (keyMap != null) {
            b.keyMap(Arrays.stream(keyMap.split(";")).map(String::trim).filter(r -> !r.isEmpty()).toList());
        }
        String transfers = v.text("transfers");
        if (transfers != null) {
            b.transfers(OptionValues.intValue("transfers", transfers, 0));
        }
        String retries = v.text("retries");
        if (retries != null) {
            b.retries(OptionValues.intValue("retries", retries, 0));
        }
        Duration outageWait = OptionValues.duration("outageWait", v.get("outageWait"));
        if (outageWait != null) {
            b.outageWait(outageWait);
        }
        b.bandwidth(OptionValues.size("bandwidth", v.get("bandwidth"), 0));
        b.maxTransfer(OptionValues.size("maxTransfer", v.get("maxTransfer"), 0));
        b.maxDuration(OptionValues.duration("maxDuration", v.get("maxDuration")));
        String cutoffMode = v.text("cutoffMode");
        b.cutoffMode(cutoffMode == null ? null : CutoffMode.parse(cutoffMode));
        b.backup(BackupDir.of(v.text("backupDir"), v.text("suffix"),
                OptionValues.bool("suffixKeepExtension", v.get("suffixKeepExtension"), false),
                v.connectorOptions("backup")));
        String name = v.text("name");
        b.name(name != null ? name : defaultName);
        b.sourceOptions(v.connectorOptions("source"));
        b.targetOptions(v.connectorOptions("target"));
        return b;
    }

    /** Option values with header precedence. */
    private static final class Values {
        private final MigrationConfiguration config;
        private final Function<String, Object> headers;

        Values(MigrationConfiguration config, Function<String, Object> headers) {
            this.config = config;
            this.headers = headers;
        }

        Object get(String option) {
            Object header = headers.apply(CaravanConstants.headerOf(option));
            if (OptionValues.text(header) != null) {
                return header;
            }
            return switch (option) {
                case "source" -> config.getSource();
                case "target" -> config.getTarget();
                case "mode" -> config.getMode();
                case "include" -> config.getInclude();
                case "exclude" -> config.getExclude();
                case "includeFrom" -> config.getIncludeFrom();
                case "excludeFrom" -> config.getExcludeFrom();
                case "filesFrom" -> config.getFilesFrom();
                case "minSize" -> config.getMinSize();
                case "maxSize" -> config.getMaxSize();
                case "minAge" -> config.getMinAge();
                case "maxAge" -> config.getMaxAge();
                case "compare" -> config.getCompare();
                case "verify" -> config.getVerify();
                case "maxDelete" -> config.getMaxDelete();
                case "metadataRules" -> config.getMetadataRules();
                case "keyMap" -> config.getKeyMap();
                case "transfers" -> config.getTransfers();
                case "bandwidth" -> config.getBandwidth();
                case "retries" -> config.getRetries();
                case "outageWait" -> config.getOutageWait();
                case "maxTransfer" -> config.getMaxTransfer();
                case "maxDuration" -> config.getMaxDuration();
                case "cutoffMode" -> config.getCutoffMode();
                case "backupDir" -> config.getBackupDir();
                case "suffix" -> config.getSuffix();
                case "suffixKeepExtension" -> config.getSuffixKeepExtension();
                case "backupConnector" -> config.getBackupConnector();
                case "name" -> config.getName();
                default -> throw new IllegalArgumentException("not an option: " + option);
            };
        }

        String text(String option) {
            return OptionValues.text(get(option));
        }

        String required(String option) {
            String value = text(option);
            if (value == null) {
                throw MigrationException.userConfig("option '" + option + "' is required: set it on the endpoint ("
                        + option + "=local:/path) or in the header " + CaravanConstants.headerOf(option));
            }
            return value;
        }

        /**
         * The connector options of {@code role} (source, target, backup): for the backup, those of backupConnector
         * (or its header), then the backup.* ones over them; then the options header's over all.
         */
        Map<String, String> connectorOptions(String role) {
            Map<String, String> out = new TreeMap<>(role.equals("backup")
                    ? OptionPairs.parse("backupConnector", text("backupConnector")) : Map.of());
            out.putAll(OptionValues.textMap(switch (role) {
                case "source" -> config.getSourceOptions();
                case "target" -> config.getTargetOptions();
                default -> config.getBackupOptions();
            }));
            Object header = headers.apply(CaravanConstants.headerOf(role + "Options"));
            if (header instanceof Map<?, ?> map) {
                map.forEach((k, val) -> {
                    if (k != null && val != null) {
                        out.put(k.toString(), val.toString());
                    }
                });
            }
            return out;
        }
    }
}
