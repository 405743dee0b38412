package dev.caravan.application;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.application.model.Phase;
import dev.caravan.application.model.Step;
import dev.caravan.application.model.Substitution;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * A config step: configuration files read from the source environment (any store), rewritten with the declared
 * substitutions (literal or regex, in order) and written to the target environment. Every substitution must match
 * at least once over the files it applies to, else the pass fails naming it. Files are read whole (at most 16 MiB
 * each; configuration, not data) as UTF-8.
 *
 * <p>Rollback: {@link #prepare} keeps the target's current content of every file (or notes it absent);
 * {@link #compensate} writes it back (or deletes the file).
 */
final class ConfigStepRunner implements StepRunner {
    private static final int MAX_BYTES = 16 << 20;

    private final Step.Config step;
    private final RunContext ctx;
    private final Map<String, Optional<byte[]>> previous = new LinkedHashMap<>();
    private boolean prepared;

    ConfigStepRunner(Step.Config step, RunContext ctx) {
        this.step = step;
        this.ctx = ctx;
    }

    @Override
    public Step step() {
        return step;
    }

    /** The rendered files, checking that each substitution matched; {@code matches} gets the count per one. */
    private Map<String, byte[]> render(int[] matches) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ObjectStore source = ctx.registry.openStore(step.from(), step.fromOptions())) {
            for (String key : step.files()) {
                String text = new String(read(source, key).orElseThrow(() -> MigrationException.userData(
                        "config file '" + key + "' is missing on the source " + source.uri())), StandardCharsets.UTF_8);
                for (int i = 0; i < step.substitutions().size(); i++) {
                    Substitution s = step.substitutions().get(i);
                    if (!s.appliesTo(key)) {
                        continue;
                    }
                    if (s.literal() != null) {
                        int n = count(text, s.literal());
                        matches[i] += n;
                        text = text.replace(s.literal(), s.replace());
                    } else {
                        Matcher m = s.regex().matcher(text);
                        while (m.find()) {
                            matches[i]++;
                        }
                        text = s.regex().matcher(text).replaceAll(s.replace());
                    }
                }
                out.put(key, text.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Map<String, byte[]> renderChecked() {
        int[] matches = new int[step.substitutions().size()];
        Map<String, byte[]> files = render(matches);
        List<String> unmatched = new ArrayList<>();
        for (int i = 0; i < matches.length; i++) {
            if (matches[i] == 0) {
                Substitution s = step.substitutions().get(i);
                unmatched.add("#" + (i + 1) + " " + s.describe() + " (" + s.location() + ")");
            }
        }
        if (!unmatched.isEmpty()) {
            throw MigrationException.userData("config step '" + step.id() + "': substitution(s) matched nothing in "
                    + step.files() + ": " + String.join(", ", unmatched));
        }
        return files;
    }

    private static int count(String text, String literal) {
        int n = 0;
        for (int at = text.indexOf(literal); at >= 0 && !literal.isEmpty(); at = text.indexOf(literal, at + literal
                .length())) {
            n++;
        }
        return n;
    }

    private static Optional<byte[]> read(ObjectStore store, String key) {
        Optional<ObjectInfo> info = store.stat(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        if (info.get().size() > MAX_BYTES) {
            throw MigrationException.userData("config file '" + key + "' on " + store.uri() + " is "
                    + info.get().size() + " bytes; config steps read files of at most 16 MiB");
        }
        try (InputStream in = store.open(key, ByteRange.ALL)) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw MigrationException.transientError("cannot read " + key + " on " + store.uri(), e);
        }
    }

    @Override
    public StepPreview preview() {
        int[] matches = new int[step.substitutions().size()];
        List<String> checks = new ArrayList<>();
        Map<String, byte[]> files;
        try {
            files = render(matches);
        } catch (MigrationException e) {
            return new StepPreview(Map.of("files", step.files().size()), List.of("FAIL source: " + e.getMessage()),
                    null);
        }
        for (int i = 0; i < matches.length; i++) {
            Substitution s = step.substitutions().get(i);
            checks.add((matches[i] == 0 ? "FAIL" : "OK") + " substitution #" + (i + 1) + " " + s.describe() + ": "
                    + matches[i] + " match(es)");
        }
        return new StepPreview(Map.of("files", files.size(), "bytes", files.values().stream()
                .mapToLong(b -> b.length).sum()), checks, null);
    }

    @Override
    public void prepare() {
        try (ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions())) {
            for (String key : step.files()) {
                previous.put(key, read(target, key));
            }
        }
        Map<String, Object> saved = new LinkedHashMap<>();
        previous.forEach((k, v) -> saved.put(k, v.map(b -> java.util.Base64.getEncoder().encodeToString(b))
                .orElse(null)));
        RunState.saveSnapshot(ctx.runDir, step.id(), Map.of("previous", saved));
        prepared = true;
    }

    @Override
    public void restore(Map<String, Object> snapshot) {
        @SuppressWarnings("unchecked")
        Map<String, String> saved = (Map<String, String>) snapshot.get("previous");
        saved.forEach((k, v) -> previous.put(k, Optional.ofNullable(v).map(java.util.Base64.getDecoder()::decode)));
        prepared = true;
    }

    @Override
    public Map<String, Object> pass(Phase phase) {
        Map<String, byte[]> files = renderChecked();
        long bytes = 0;
        try (ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions())) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                put(target, f.getKey(), f.getValue());
                bytes += f.getValue().length;
            }
        }
        return Map.of("files", files.size(), "bytes", bytes, "substitutions", step.substitutions().size());
    }

    private static void put(ObjectStore target, String key, byte[] data) {
        target.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
    }

    @Override
    public Verdict verify() {
        Map<String, byte[]> expected = renderChecked();
        List<String> differ = new ArrayList<>();
        try (ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions())) {
            for (Map.Entry<String, byte[]> f : expected.entrySet()) {
                Optional<byte[]> actual = read(target, f.getKey());
                if (actual.isEmpty() || !Arrays.equals(actual.get(), f.getValue())) {
                    differ.add(f.getKey() + (actual.isEmpty() ? " missing" : " differs"));
                }
            }
        }
        return new Verdict(differ.isEmpty(), "rendered source == target, byte for byte", differ.isEmpty()
                ? expected.size() + " file(s) match, " + step.substitutions().size() + " substitution(s) applied"
                : "mismatch: " + differ);
    }

    @Override
    public String compensate() {
        if (!prepared) {
            return "nothing to undo";
        }
        int restored = 0;
        int deleted = 0;
        try (ObjectStore target = ctx.registry.openStore(step.to(), step.toOptions())) {
            for (Map.Entry<String, Optional<byte[]>> p : previous.entrySet()) {
                if (p.getValue().isPresent()) {
                    put(target, p.getKey(), p.getValue().get());
                    restored++;
                } else {
                    target.delete(p.getKey());
                    deleted++;
                }
            }
            return "restored " + restored + " previous config file(s), deleted " + deleted + " new one(s)";
        } catch (RuntimeException e) {
            return "FAILED: " + e.getMessage();
        }
    }
}
