package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.ServerSideCopy;
import dev.caravan.core.metadata.MetadataNote;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.ForwardingStore;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared metadata rules hold for server-side copies too: an object whose attributes the rules change is copied
 * with the changed ones ({@link ServerSideCopy#copyWithAttributes}), or streamed where the target cannot do that;
 * objects the rules leave as they are still go server-side. Before, a server-side copy carried the source's
 * attributes and the rules were silently ignored.
 */
class ServerSideRulesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path home;

    MemoryStore source;
    /** The tasks the last run completed. */
    List<TaskRecord> done = List.of();

    @BeforeEach
    void setUp() {
        MemoryStore.reset();
        source = MemoryStore.named("rules-src");
        source.add("a.txt", bytes("a"), T0, new PutRequest(1, T0, "text/plain", Map.of("owner", "ann",
                "team", "blue"), -1));
        source.add("b.txt", bytes("b"), T0, new PutRequest(1, T0, "text/plain", Map.of("owner", "bob"), -1));
        source.add("c.txt", bytes("c"), T0, new PutRequest(1, T0, "text/plain", Map.of("team", "red"), -1));
    }

    @Test
    void anObjectTheRulesChangeIsCopiedServerSideWithTheChangedAttributes() {
        CopyingTarget target = new CopyingTarget(keepingAll("rules-dst"), true);

        RunResult run = run(target);

        assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.calls).isEqualTo(Map.of("a.txt", "copyWithAttributes", "b.txt", "copy",
                "c.txt", "copyWithAttributes"));
        assertThat(streamed(target)).as("nothing streamed").isEmpty();
        assertThat(target.delegate().attributes.get("a.txt").metadata()).isEqualTo(Map.of("owner", "ann"));
        assertThat(target.delegate().attributes.get("a.txt").contentType()).isEqualTo("text/plain");
        assertThat(target.delegate().attributes.get("b.txt").metadata()).isEqualTo(Map.of("owner", "bob"));
        assertThat(notes("a.txt")).containsExactly(new MetadataNote("metadata.team",
                MetadataNote.Action.DROPPED_BY_RULE, "drop:metadata.team"));
        assertThat(notes("b.txt")).isEmpty();
    }

    @Test
    void aTargetThatCannotCopyWithOtherAttributesGetsThoseObjectsStreamedAndTheOthersServerSide() {
        CopyingTarget target = new CopyingTarget(keepingAll("rules-dst2"), false);

        RunResult run = run(target);

        assertThat(run.outcome()).as(run.toString()).isEqualTo(RunOutcome.COMPLETE);
        // asked once: c.txt, which the rules change too, is streamed without asking again
        assertThat(target.calls).isEqualTo(Map.of("a.txt", "copyWithAttributes", "b.txt", "copy"));
        assertThat(streamed(target)).as("a.txt and c.txt streamed (under temporary names)").hasSize(2)
                .anyMatch(k -> k.contains("a.txt")).anyMatch(k -> k.contains("c.txt"));
        assertThat(target.delegate().attributes.get("c.txt").metadata()).isEmpty();
        assertThat(new String(target.delegate().bytes("a.txt"), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(target.delegate().attributes.get("a.txt").metadata()).isEqualTo(Map.of("owner", "ann"));
        assertThat(notes("a.txt")).extracting(MetadataNote::attribute).containsExactly("metadata.team");
    }

    private RunResult run(CopyingTarget target) {
        try (MigrationEngine engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), ConnectorRegistry.of(
                        new MemoryStoreProvider(), MemoryStoreProvider.of("rulesdst", target)))) {
            RunResult run = engine.run(MigrationSpec.builder("mem:rules-src", "rulesdst:t").transfers(1)
                    .metadataRules(List.of("drop:metadata.team")).build(), ProgressListener.NONE);
            List<TaskRecord> completed = new ArrayList<>();
            try (Stream<TaskRecord> tasks = engine.journal().completedBy(run.runId())) {
                tasks.forEach(completed::add);
            }
            done = completed;
            return run;
        }
    }

    private List<MetadataNote> notes(String key) {
        TaskRecord task = done.stream().filter(t -> t.spec().item().equals(key)).findFirst().orElseThrow();
        String encoded = task.report().values().get(MetadataNote.REPORT_KEY);
        return encoded == null ? List.of() : MetadataNote.decode(encoded);
    }

    /** The keys put into the target, but for the write probe's. */
    private static List<String> streamed(CopyingTarget target) {
        return target.delegate().putKeys.stream().filter(k -> !k.startsWith(".caravan-probe-")).toList();
    }

    private static MemoryStore keepingAll(String name) {
        MemoryStore store = MemoryStore.named(name);
        store.keeps = Set.of(MetadataKind.values());
        return store;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A memory target that copies from a memory source without streaming, and records which copy was asked. */
    static final class CopyingTarget extends ForwardingStore implements ServerSideCopy {
        final Map<String, String> calls = new ConcurrentHashMap<>();
        private final boolean withAttributes;

        CopyingTarget(MemoryStore delegate, boolean withAttributes) {
            super(delegate);
            this.withAttributes = withAttributes;
        }

        @Override
        public ObjectInfo copy(ObjectStore from, ObjectInfo source, String targetKey) {
            calls.put(targetKey, "copy");
            return copied(from, source, targetKey, PutRequest.from(source));
        }

        @Override
        public ObjectInfo copyWithAttributes(ObjectStore from, ObjectInfo source, String targetKey,
                PutRequest attributes) {
            calls.put(targetKey, "copyWithAttributes");
            if (!withAttributes) {
                return ServerSideCopy.super.copyWithAttributes(from, source, targetKey, attributes);
            }
            return copied(from, source, targetKey, attributes);
        }

        private ObjectInfo copied(ObjectStore from, ObjectInfo source, String targetKey, PutRequest attributes) {
            try (InputStream in = from.open(source.key(), ByteRange.ALL)) { // read here, as a server would
                delegate().add(targetKey, in.readAllBytes(), source.modTime(), attributes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return delegate().stat(targetKey).orElseThrow();
        }
    }
}
