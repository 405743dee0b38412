package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.plan.Compare;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.PlanSummary;
import dev.caravan.core.plan.PlannedTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A source object whose bytes stayed the same while its descriptive attributes changed is planned as a metadata
 * update, carried out without sending its bytes where the target can, and a rerun after it plans nothing.
 */
class MetadataUpdateTest extends EngineTestBase {
    private final String owner = "owner-" + UUID.randomUUID();
    private final String newOwner = "owner-" + UUID.randomUUID();

    @BeforeEach
    void copiedOnce() {
        dst.keeps = Set.of(MetadataKind.CONTENT_TYPE, MetadataKind.CONTENT_HEADERS, MetadataKind.USER_METADATA);
        src.add("doc.bin", bytes("same bytes"), T0, attributes("application/unknown", owner, null));
        src.add("other.bin", bytes("other"), T0, attributes("application/unknown", owner, null));
        assertThat(engine.run(spec().build(), ProgressListener.NONE).copied()).isEqualTo(2);
    }

    private static PutRequest attributes(String type, String ownerValue, String cacheControl) {
        return new PutRequest(-1, T0, type, Map.of("owner", ownerValue), -1,
                new ContentHeaders(cacheControl, null, null, null), Map.of());
    }

    private MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1));
    }

    @Test
    void changedAttributesAreWrittenWithoutTheBytesAndASecondRerunPlansNothing() {
        dst.writesAttributes = true;
        src.attributes.put("doc.bin", attributes("text/plain", newOwner, "no-cache"));
        int puts = dst.puts.get();

        PlanResult plan = engine.plan(spec().build());
        assertThat(plan.summary().metadataCount()).isEqualTo(1);
        assertThat(plan.summary().transferCount()).isZero();
        assertThat(plan.sample()).extracting(a -> a.action()).containsExactly(PlannedTask.METADATA);

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);
        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.copied()).isZero();
        assertThat(r.bytesCopied()).isZero();
        assertThat(dst.puts.get()).isEqualTo(puts);
        assertThat(dst.attributeWrites.get()).isEqualTo(1);
        PutRequest written = dst.attributes.get("doc.bin");
        assertThat(written.contentType()).isEqualTo("text/plain");
        assertThat(written.metadata()).isEqualTo(Map.of("owner", newOwner));
        assertThat(written.headers().cacheControl()).isEqualTo("no-cache");

        PlanSummary again = engine.plan(spec().build()).summary();
        assertThat(again.metadataCount() + again.transferCount()).isZero();
        assertThat(again.sameCount()).isEqualTo(2);
    }

    @Test
    void attributesThatListingsLeaveOutAreReadBeforeTheyAreCompared() {
        dst.listsWithoutAttributes = true;
        PlanSummary unchanged = engine.plan(spec().build()).summary();
        assertThat(unchanged.metadataCount() + unchanged.transferCount()).isZero();

        src.listsWithoutAttributes = true;
        src.attributes.put("doc.bin", attributes("text/plain", owner, null));
        int stats = src.stats.get() + dst.stats.get();
        assertThat(engine.plan(spec().build()).summary().metadataCount())
                .as("a change of attributes alone, the times as they were: not read with size-mtime").isZero();
        assertThat(src.stats.get() + dst.stats.get()).as("no stat for a pair whose times are the same")
                .isEqualTo(stats);
        assertThat(engine.plan(spec().compare(Compare.CHECKSUM).build()).summary().metadataCount())
                .as("read with checksum").isEqualTo(1);
    }

    @Test
    void withoutAttributeWritesTheObjectIsCopiedAgainOnce() {
        src.attributes.put("doc.bin", attributes("text/plain", newOwner, null));
        int puts = dst.puts.get();

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(dst.puts.get()).isEqualTo(puts + 1);
        assertThat(dst.attributes.get("doc.bin").metadata()).isEqualTo(Map.of("owner", newOwner));
        PlanSummary again = engine.plan(spec().build()).summary();
        assertThat(again.metadataCount() + again.transferCount()).isZero();
    }

    @Test
    void attributesAreComparedAsTheRulesWriteThemAndCaravansOwnKeysAreIgnored() {
        dst.writesAttributes = true;
        PutRequest capital = new PutRequest(-1, T0, "application/unknown", Map.of("Owner", owner), -1,
                ContentHeaders.EMPTY, Map.of());
        src.attributes.put("doc.bin", capital);
        MigrationSpec renamed = spec().metadataRules(List.of("rename:metadata.Owner=metadata.team")).build();
        engine.run(renamed, ProgressListener.NONE);
        assertThat(dst.attributes.get("doc.bin").metadata()).isEqualTo(Map.of("team", owner));
        // keys Caravan keeps for itself (its SHA-256, the kept time) are no difference
        PutRequest withOwnKeys = dst.attributes.get("doc.bin");
        dst.attributes.put("doc.bin", withOwnKeys.withAttributes(withOwnKeys.contentType(), withOwnKeys.headers(),
                Map.of("team", owner, "caravan-sha256", "0".repeat(64)), Map.of()));

        PlanSummary again = engine.plan(renamed).summary();
        assertThat(again.metadataCount() + again.transferCount()).isZero();
    }

    @Test
    void attributesTheTargetDoesNotKeepAreNotCompared() {
        dst.keeps = Set.of(MetadataKind.CONTENT_TYPE);
        src.attributes.put("doc.bin", attributes("application/unknown", newOwner, "no-cache"));

        assertThat(engine.plan(spec().build()).summary().metadataCount()).isZero();
    }

    @Test
    void compareSizeIgnoresAttributes() {
        src.attributes.put("doc.bin", attributes("text/plain", newOwner, null));

        PlanSummary plan = engine.plan(spec().compare(Compare.SIZE).build()).summary();

        assertThat(plan.metadataCount() + plan.transferCount()).isZero();
    }

    @Test
    void compareChecksumComparesAttributesToo() {
        dst.writesAttributes = true;
        src.attributes.put("doc.bin", attributes("text/plain", owner, null));

        RunResult r = engine.run(spec().compare(Compare.CHECKSUM).build(), ProgressListener.NONE);

        assertThat(r.plan().metadataCount()).isEqualTo(1);
        assertThat(dst.attributes.get("doc.bin").contentType()).isEqualTo("text/plain");
    }
}
