package dev.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.metadata.MetadataNote;
import dev.caravan.core.plan.MigrationSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run writes what the target holds, maps what a rule says, and reports the rest item by item in the journal and
 * in both reports, while the copies themselves succeed.
 */
class MetadataFidelityTest extends EngineTestBase {
    @BeforeEach
    void setUp() {
        src.add("doc.pdf", "pdf".getBytes(StandardCharsets.UTF_8), T0, new PutRequest(3, T0, "application/pdf",
                Map.of("owner", "ann", "bad key", "x"), -1, new ContentHeaders("no-cache", "inline", null, null),
                Map.of("team", "red")));
        src.add("plain.bin", "bin".getBytes(StandardCharsets.UTF_8), T0);
    }

    private MigrationSpec.Builder spec() {
        return MigrationSpec.builder("mem:src", "mem:dst").retryBaseDelay(Duration.ofMillis(1));
    }

    @Test
    void whatTheTargetCannotHoldIsReportedPerObjectAndAttributeAndTheRunCompletes() throws Exception {
        dst.keeps = Set.of(MetadataKind.CONTENT_TYPE, MetadataKind.USER_METADATA);
        dst.check = (key, request) -> request.metadata().containsKey("bad key")
                ? List.of(new MetadataCheck.Refusal(MetadataKind.USER_METADATA, "bad key", "keys must be tokens"))
                : List.of();

        RunResult r = engine.run(spec().metadataRules(List.of("rename:cacheControl=metadata.cache-control"))
                .build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.copied()).isEqualTo(2);
        PutRequest written = dst.attributes.get("doc.pdf");
        assertThat(written.contentType()).isEqualTo("application/pdf");
        assertThat(written.metadata()).isEqualTo(Map.of("owner", "ann", "cache-control", "no-cache"));
        assertThat(written.headers()).isEqualTo(ContentHeaders.EMPTY);
        assertThat(written.tags()).isEmpty();

        List<MetadataNote> expected = List.of(
                new MetadataNote("cacheControl", MetadataNote.Action.MAPPED, "to metadata.cache-control"),
                new MetadataNote("contentDisposition", MetadataNote.Action.NOT_KEPT, "mem:dst keeps no content headers"),
                new MetadataNote("tag.team", MetadataNote.Action.NOT_KEPT, "mem:dst keeps no tags"),
                new MetadataNote("metadata.bad key", MetadataNote.Action.NOT_KEPT, "keys must be tokens"));
        List<TaskRecord> done = new ArrayList<>();
        try (Stream<TaskRecord> tasks = engine.journal().completedBy(r.runId())) {
            tasks.forEach(done::add);
        }
        TaskRecord doc = done.stream().filter(t -> t.spec().item().equals("doc.pdf")).findFirst().orElseThrow();
        assertThat(MetadataNote.decode(doc.report().values().get(MetadataNote.REPORT_KEY))).isEqualTo(expected);
        TaskRecord plain = done.stream().filter(t -> t.spec().item().equals("plain.bin")).findFirst().orElseThrow();
        assertThat(plain.report().values()).doesNotContainKey(MetadataNote.REPORT_KEY);

        JsonNode metadata = new ObjectMapper().readTree(r.reportJson().toFile()).get("metadata");
        assertThat(metadata.get("objects").asLong()).isEqualTo(1);
        assertThat(metadata.get("attributes").asLong()).isEqualTo(4);
        JsonNode first = metadata.get("items").get(3);
        assertThat(first.get("key").asText()).isEqualTo("doc.pdf");
        assertThat(first.get("attribute").asText()).isEqualTo("metadata.bad key");
        assertThat(first.get("action").asText()).isEqualTo("NOT_KEPT");
        assertThat(first.get("detail").asText()).isEqualTo("keys must be tokens");
        String html = Files.readString(r.reportHtml());
        assertThat(html).contains("Attributes not carried over as they were")
                .contains("<td>doc.pdf</td><td>tag.team</td><td>NOT_KEPT</td><td>mem:dst keeps no tags</td>");
    }

    @Test
    void aTargetThatKeepsEverythingGetsEverythingAndTheReportListsNothing() throws Exception {
        dst.keeps = Set.of(MetadataKind.values());

        RunResult r = engine.run(spec().build(), ProgressListener.NONE);

        assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(dst.stat("doc.pdf").orElseThrow()).satisfies(info -> {
            assertThat(info.contentType()).isEqualTo("application/pdf");
            assertThat(info.headers()).isEqualTo(new ContentHeaders("no-cache", "inline", null, null));
            assertThat(info.metadata()).containsEntry("bad key", "x");
            assertThat(info.tags()).isEqualTo(Map.of("team", "red"));
        });
        JsonNode metadata = new ObjectMapper().readTree(r.reportJson().toFile()).get("metadata");
        assertThat(metadata.get("attributes").asLong()).isZero();
        assertThat(metadata.get("items")).isEmpty();
        assertThat(Files.readString(r.reportHtml())).doesNotContain("Attributes not carried over");
    }

    @Test
    void theRulesAreKeptWithTheRunSoAResumedRunAppliesThem() {
        MigrationSpec spec = spec().metadataRules(List.of("lowercase", "drop:tag.*")).build();

        MigrationSpec back = SpecJson.read(SpecJson.write(spec, (side, k) -> false));

        assertThat(back.metadataRules()).containsExactly("lowercase", "drop:tag.*");
        assertThat(back.migrationId()).isEqualTo(spec.migrationId());
    }
}
