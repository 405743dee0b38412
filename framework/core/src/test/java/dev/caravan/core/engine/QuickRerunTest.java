package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.api.verify.VerificationReport;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The no-change rerun into (and out of) a store with a quick listing ({@link EtagStore}, shaped like S3): the plan
 * decides from the listings and the journal's record of each verified copy, without a {@code stat} per object; a
 * target changed behind Caravan's back, or an object the journal knows nothing of, is looked at closely as before.
 */
class QuickRerunTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int N = 20;

    @TempDir
    Path home;

    private final Map<String, EtagStore> stores = new ConcurrentHashMap<>();
    private MigrationEngine engine;
    private MemoryStore local;

    @BeforeEach
    void setUp() {
        MemoryStore.reset();
        local = MemoryStore.named("q-src");
        for (int i = 0; i < N; i++) {
            local.add(key(i), bytes("object " + i), T0.plusSeconds(i));
        }
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")), registry());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void rerunAfterVerifiedCopyStatsNoTargetObject() {
        EtagStore target = store("bucket");
        RunResult first = run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);
        assertThat(first.copied()).isEqualTo(N);
        target.resetCounts();

        RunResult rerun = run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);

        assertThat(rerun.copied()).isZero();
        assertThat(rerun.plan().sameCount()).isEqualTo(N);
        assertThat(target.stats.get()).as("stat calls on the target during the rerun").isZero();
        assertThat(target.fullListings.get()).as("listings with a request per object").isZero();
        assertThat(target.puts.get()).isZero();
    }

    @Test
    void targetChangedBehindCaravansBackWithTheSameSizeIsCopiedAgain() {
        EtagStore target = store("bucket");
        run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);
        byte[] original = target.bytes(key(3));
        byte[] other = bytes("OBJECT 3");
        assertThat(other).hasSameSizeAs(original);
        target.write(key(3), other, null); // another tool: new ETag, no kept time
        target.resetCounts();

        RunResult rerun = run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);

        assertThat(rerun.copied()).isEqualTo(1);
        assertThat(rerun.plan().replaceCount()).isEqualTo(1);
        assertThat(target.bytes(key(3))).isEqualTo(original);
        // only the changed object is looked at: once by the plan, once by the runner's "already in place?" check
        // (the task was begun before, by the first run)
        assertThat(target.stats.get()).isEqualTo(2);
    }

    @Test
    void firstRunAgainstAnIdenticalTargetComparesEachObjectWithStat() {
        EtagStore target = store("bucket");
        for (int i = 0; i < N; i++) {
            target.write(key(i), bytes("object " + i), T0.plusSeconds(i)); // as an earlier tool left it
        }
        target.write(key(5), bytes("object 5"), T0.plusSeconds(99)); // same size, other kept time
        target.resetCounts();

        RunResult run = run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);

        assertThat(run.plan().sameCount()).isEqualTo(N - 1);
        assertThat(run.copied()).isEqualTo(1);
        assertThat(target.stats.get()).as("no journal record: one stat per pair").isEqualTo(N);
    }

    @Test
    void storeToStoreStatsEachCopiedSourceOnceAndNothingOnTheRerun() {
        EtagStore source = store("src");
        EtagStore target = store("dst");
        for (int i = 0; i < N; i++) {
            source.write(key(i), bytes("object " + i), T0.plusSeconds(i));
        }
        source.resetCounts();

        RunResult first = run("etag:src", "etag:dst", Compare.SIZE_MTIME);
        assertThat(first.copied()).isEqualTo(N);
        assertThat(source.stats.get()).as("one stat per copied object (the copy's), none for the listing")
                .isEqualTo(N);
        assertThat(target.bytes(key(7))).isEqualTo(bytes("object 7"));
        source.resetCounts();
        target.resetCounts();

        RunResult rerun = run("etag:src", "etag:dst", Compare.SIZE_MTIME);
        assertThat(rerun.copied()).isZero();
        assertThat(source.stats.get() + target.stats.get()).isZero();

        source.write(key(2), bytes("OBJECT 2"), T0.plusSeconds(2)); // rewritten: new write time and ETag
        RunResult third = run("etag:src", "etag:dst", Compare.SIZE_MTIME);
        assertThat(third.copied()).as("same size and kept time, but new content, and the stores' MD5s say so: "
                + third).isEqualTo(1);
        assertThat(target.bytes(key(2))).isEqualTo(bytes("OBJECT 2"));

        source.write(key(4), bytes("OBJECT 4"), T0.plusSeconds(400)); // a new kept time as well
        RunResult fourth = run("etag:src", "etag:dst", Compare.SIZE_MTIME);
        assertThat(fourth.copied()).isEqualTo(1);
        assertThat(target.bytes(key(4))).isEqualTo(bytes("OBJECT 4"));
    }

    @Test
    void checksumComparisonStillLooksAtEveryObject() {
        EtagStore target = store("bucket");
        run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);
        target.resetCounts();

        RunResult rerun = run("mem:q-src", "etag:bucket", Compare.CHECKSUM);

        assertThat(rerun.copied()).isZero();
        assertThat(target.stats.get()).as("checksum mode reads every stored digest").isEqualTo(N);
    }

    @Test
    void verificationAfterAVerifiedCopyAsksTheTargetForNothingAndStillFindsChanges() {
        EtagStore target = store("bucket");
        run("mem:q-src", "etag:bucket", Compare.SIZE_MTIME);
        target.resetCounts();
        MigrationSpec spec = MigrationSpec.builder("mem:q-src", "etag:bucket").build();

        VerificationReport clean = engine.verify(spec);

        assertThat(clean.clean()).as(clean.toString()).isTrue();
        assertThat(clean.count(VerificationOutcome.MATCH)).isEqualTo(N);
        assertThat(target.stats.get() + target.fullListings.get() + target.reads.get())
                .as("requests per object on the target").isZero();

        local.objects().get(key(2)).data()[0] ^= 1; // the source changed in place: same size and time
        target.write(key(7), bytes("OBJECT 7"), T0.plusSeconds(7)); // rewritten by another tool: same size
        target.resetCounts();

        VerificationReport after = engine.verify(spec);

        assertThat(after.problems()).extracting(VerificationItem::item).containsExactlyInAnyOrder(key(2), key(7));
        assertThat(after.problems()).allSatisfy(i -> assertThat(i.outcome()).isEqualTo(VerificationOutcome.DIFFER));
        assertThat(target.stats.get()).as("only the rewritten object is asked for its digest").isEqualTo(1);
        assertThat(target.reads.get()).as("nothing read from the target").isZero();
    }

    private RunResult run(String from, String to, Compare compare) {
        RunResult r = engine.run(MigrationSpec.builder(from, to).compare(compare)
                .retryBaseDelay(Duration.ofMillis(1)).build(), ProgressListener.NONE);
        assertThat(r.outcome()).as(r.toString()).isEqualTo(RunOutcome.COMPLETE);
        return r;
    }

    private EtagStore store(String name) {
        return stores.computeIfAbsent(name, EtagStore::new);
    }

    private static String key(int i) {
        return "dir/k" + (char) ('a' + i);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ConnectorRegistry registry() {
        return EtagStore.registry(this::store);
    }
}
