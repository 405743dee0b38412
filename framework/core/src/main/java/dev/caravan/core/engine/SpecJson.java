package dev.caravan.core.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.error.EndpointOutage;
import dev.caravan.api.error.MigrationException;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.Filters;
import dev.caravan.core.plan.ListedKeys;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import dev.caravan.core.verify.VerifyMode;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * A migration definition as JSON, kept in the journal for {@code caravan resume}. Secrets are masked. Written with
 * Jackson's streaming API (every run writes one; data binding would cost a short run hundreds of classes), read
 * back with a tree (only a resume does).
 */
final class SpecJson {
    static final String MASK = "****";
    private static final JsonFactory JSON = new JsonFactory();
    /** The most characters of {@code --files-from} keys a definition keeps (the journal holds up to 1 MB of it). */
    static final int MAX_KEPT_LIST_CHARS = 200_000;

    private SpecJson() {
    }

    /** The object mapper, made on the first {@link #read}. */
    private static final class Mapper {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * As {@link #write(MigrationSpec, BiPredicate, java.util.function.Predicate)}, every option of the backup dir
     * masked.
     */
    static String write(MigrationSpec s, BiPredicate<Boolean, String> isSecret) {
        return write(s, isSecret, k -> true);
    }

    /**
     * @param isSecret     tells whether an option of the source ({@code true}) or target side is a secret
     * @param backupSecret tells whether an option of the backup dir's connector is a secret
     */
    static String write(MigrationSpec s, BiPredicate<Boolean, String> isSecret,
            java.util.function.Predicate<String> backupSecret) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("source", s.source());
            options(g, "sourceOptions", s.sourceOptions(), k -> isSecret.test(true, k));
            g.writeStringField("target", s.target());
            options(g, "targetOptions", s.targetOptions(), k -> isSecret.test(false, k));
            g.writeStringField("mode", s.mode().name());
            strings(g, "include", s.filters().include());
            strings(g, "exclude", s.filters().exclude());
            g.writeNumberField("minSize", s.filters().minSize());
            g.writeNumberField("maxSize", s.filters().maxSize());
            g.writeStringField("minAge", s.filters().minAge() == null ? null : s.filters().minAge().toString());
            g.writeStringField("maxAge", s.filters().maxAge() == null ? null : s.filters().maxAge().toString());
            filesFrom(g, s.filters().filesFrom());
            g.writeStringField("compare", s.compare().name());
            g.writeStringField("verify", s.verify().name());
            g.writeStringField("maxDelete", s.maxDelete());
            g.writeNumberField("transfers", s.transfers());
            g.writeNumberField("bandwidth", s.bandwidth());
            g.writeNumberField("retries", s.retries());
            g.writeStringField("retryBaseDelay", s.retryBaseDelay().toString());
            g.writeStringField("outageWait", s.outageWait().toString());
            strings(g, "metadataRules", s.metadataRules());
            strings(g, "keyMap", s.keyMap());
            if (s.backup() != null) {
                g.writeObjectFieldStart("backup");
                g.writeStringField("location", s.backup().location());
                g.writeStringField("suffix", s.backup().suffix());
                g.writeBooleanField("keepExtension", s.backup().keepExtension());
                options(g, "options", s.backup().options(), backupSecret);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /**
     * A {@code --files-from} list: its keys when they fit in {@link #MAX_KEPT_LIST_CHARS}, else its origin, count and
     * digest only, and {@link #read} then asks for the command again.
     */
    private static void filesFrom(JsonGenerator g, ListedKeys list) throws IOException {
        if (list == null) {
            return;
        }
        g.writeObjectFieldStart("filesFrom");
        g.writeStringField("origin", list.origin());
        if (list.keys().stream().mapToLong(String::length).sum() <= MAX_KEPT_LIST_CHARS) {
            strings(g, "keys", list.keys());
        } else {
            g.writeNumberField("count", list.size());
            g.writeStringField("sha256", list.digest());
        }
        g.writeEndObject();
    }

    private static ListedKeys filesFrom(JsonNode n, String runId) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.has("keys")) {
            throw MigrationException.userConfig("run " + runId + " takes the " + n.get("count").asLong() + " keys of "
                    + "--files-from " + n.get("origin").asText() + ", too many to keep in the journal: run the same "
                    + "copy, sync or move command (with the same list) again: it continues this run");
        }
        return ListedKeys.of(strings(n.get("keys")), n.get("origin").asText());
    }

    private static void options(JsonGenerator g, String field, Map<String, String> options,
            java.util.function.Predicate<String> secret) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : new TreeMap<>(options).entrySet()) {
            g.writeStringField(e.getKey(), secret.test(e.getKey()) ? MASK : e.getValue());
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    static MigrationSpec read(String json) {
        return read(json, "RUN_ID", Map.of(), Map.of());
    }

    /**
     * The definition of run {@code runId}, with masked secrets taken from {@code sourceSecrets} and
     * {@code targetSecrets} (by option name). USER_CONFIG when a masked option is not given, or a given one is not a
     * masked option of that side.
     */
    static MigrationSpec read(String json, String runId, Map<String, String> sourceSecrets,
            Map<String, String> targetSecrets) {
        return read(json, runId, sourceSecrets, targetSecrets, Map.of());
    }

    /** As {@link #read(String, String, Map, Map)}, with the masked options of the backup dir in {@code backupSecrets}. */
    static MigrationSpec read(String json, String runId, Map<String, String> sourceSecrets,
            Map<String, String> targetSecrets, Map<String, String> backupSecrets) {
        try {
            JsonNode n = Mapper.MAPPER.readTree(json);
            Missing missing = new Missing();
            Map<String, String> sourceOptions = map(n.get("sourceOptions"), sourceSecrets, "source", missing);
            Map<String, String> targetOptions = map(n.get("targetOptions"), targetSecrets, "target", missing);
            JsonNode backup = n.get("backup");
            if (backup == null && !backupSecrets.isEmpty()) {
                throw MigrationException.userConfig("--backup-option " + String.join(", ", backupSecrets.keySet())
                        + ": run " + runId + " keeps nothing in a backup dir");
            }
            Map<String, String> backupOptions = backup == null || !backup.has("options") ? Map.of()
                    : map(backup.get("options"), backupSecrets, "backup", missing);
            missing.check(runId);
            Filters filters = new Filters(strings(n.get("include")), strings(n.get("exclude")),
                    n.get("minSize").asLong(), n.get("maxSize").asLong(), duration(n.get("minAge")),
                    duration(n.get("maxAge"))).withFilesFrom(filesFrom(n.get("filesFrom"), runId));
            return MigrationSpec.builder(n.get("source").asText(), n.get("target").asText())
                    .name(n.get("name").asText())
                    .sourceOptions(sourceOptions)
                    .targetOptions(targetOptions)
                    .mode(Mode.valueOf(n.get("mode").asText()))
                    .filters(filters)
                    .compare(Compare.valueOf(n.get("compare").asText()))
                    .verify(VerifyMode.valueOf(n.get("verify").asText()))
                    .maxDelete(n.get("maxDelete").isNull() ? null : n.get("maxDelete").asText())
                    .transfers(n.get("transfers").asInt())
                    .bandwidth(n.get("bandwidth").asLong())
                    .retries(n.get("retries").asInt())
                    .retryBaseDelay(Duration.parse(n.get("retryBaseDelay").asText()))
                    .outageWait(n.has("outageWait") ? Duration.parse(n.get("outageWait").asText())
                            : EndpointOutage.DEFAULT_WAIT) // journals written before the option
                    .metadataRules(n.has("metadataRules") ? strings(n.get("metadataRules")) : List.of())
                    .keyMap(n.has("keyMap") ? strings(n.get("keyMap")) : List.of())
                    .backup(backup != null ? new dev.caravan.core.plan.BackupDir(backup.get("location").asText(),
                            backup.get("suffix").isNull() ? null : backup.get("suffix").asText(),
                            backup.get("keepExtension").asBoolean(), backupOptions) : null)
                    .build();
        } catch (MigrationException e) {
            throw e;
        } catch (JsonProcessingException | RuntimeException e) {
            throw MigrationException.userConfig("the journal holds no usable definition of this run: " + e.getMessage());
        }
    }

    /**
     * The location and options of the backup dir of the definition {@code json}, its masked options taken by name from
     * {@code secrets} (those not there left out), or empty when it keeps none or cannot be read. For opening the backup
     * dir of an earlier run ({@link UploadStores}), never for a run.
     */
    static java.util.Optional<dev.caravan.core.plan.BackupDir> backupOf(String json, Map<String, String> secrets) {
        try {
            JsonNode backup = Mapper.MAPPER.readTree(json).get("backup");
            if (backup == null || !backup.has("location")) {
                return java.util.Optional.empty();
            }
            Map<String, String> options = new TreeMap<>();
            if (backup.has("options")) {
                backup.get("options").fields().forEachRemaining(e -> {
                    String value = MASK.equals(e.getValue().asText()) ? secrets.get(e.getKey()) : e.getValue().asText();
                    if (value != null) {
                        options.put(e.getKey(), value);
                    }
                });
            }
            return java.util.Optional.of(new dev.caravan.core.plan.BackupDir(backup.get("location").asText(), null,
                    false, options));
        } catch (JsonProcessingException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static Map<String, String> map(JsonNode n, Map<String, String> secrets, String side, Missing missing) {
        Map<String, String> m = new TreeMap<>();
        List<String> masked = new ArrayList<>();
        n.fields().forEachRemaining(e -> {
            if (MASK.equals(e.getValue().asText())) {
                masked.add(e.getKey());
                if (secrets.containsKey(e.getKey())) {
                    m.put(e.getKey(), secrets.get(e.getKey()));
                }
            } else {
                m.put(e.getKey(), e.getValue().asText());
            }
        });
        for (String given : secrets.keySet()) {
            if (!masked.contains(given)) {
                throw MigrationException.userConfig("--" + side + "-option " + given + " is not a secret of this run's "
                        + side + (masked.isEmpty() ? " (it has none)" : " (its secrets: " + String.join(", ", masked)
                        + ")") + "; the other options are resumed as they were recorded");
            }
        }
        masked.stream().filter(name -> !m.containsKey(name)).forEach(name -> missing.add(side, name));
        return m;
    }

    /** The masked options of both sides that were not given again, for one error naming them all. */
    private static final class Missing {
        private final Map<String, List<String>> bySide = new java.util.LinkedHashMap<>();

        void add(String side, String name) {
            bySide.computeIfAbsent(side, s -> new ArrayList<>()).add(name);
        }

        void check(String runId) {
            if (bySide.isEmpty()) {
                return;
            }
            List<String> parts = new ArrayList<>();
            StringBuilder flags = new StringBuilder();
            int total = 0;
            for (Map.Entry<String, List<String>> side : bySide.entrySet()) {
                List<String> names = side.getValue();
                total += names.size();
                parts.add((names.size() == 1 ? "option " : "options ") + String.join(", ", names.stream()
                        .map(name -> "'" + name + "'").toList()) + " of the " + side.getKey());
                names.forEach(name -> flags.append(" --").append(side.getKey()).append("-option ").append(name)
                        .append("=..."));
            }
            throw MigrationException.userConfig(String.join(" and ", parts) + (total == 1 ? " is a secret"
                    : " are secrets") + " not kept in the journal: give " + (total == 1 ? "it" : "them") + " again"
                    + " (caravan resume " + runId + flags + "), or run the same copy, sync or move command, or the"
                    + " migration's file, again: it continues this run");
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Duration duration(JsonNode n) {
        return n == null || n.isNull() ? null : Duration.parse(n.asText());
    }
}
