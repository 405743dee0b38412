package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.MultipartUpload;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.PlanResult;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.BackupDir;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.core.plan.Mode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target SAS that cannot delete ({@code sp=racwl}, no {@code d}), so that a copy can never destroy data: the plan of a
 * copy passes and the copy completes, verified, leaving nothing in the container but the copies (the write probe
 * stages a block it never commits); a sync, which deletes on the target, is refused by the plan naming the missing
 * {@code d}, and a run's delete with such a SAS fails naming it, the object kept; an aborted upload leaves its blocks
 * to expire instead of failing. Before, the plan asked every target
 * for {@code d}, and the probe deleted an object.
 */
class AzureLeastPrivilegeIT {
    private static final int FILES = 3;

    @TempDir
    Path home;
    @TempDir
    Path data;

    private BlobContainerClient container;
    private String sas;

    @BeforeEach
    void setUp() throws IOException {
        container = Azurite.newContainer("leastpriv");
        sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse("racwl")));
        for (int i = 0; i < FILES; i++) {
            Files.write(data.resolve("f" + i + ".bin"), randomBytes(1_000 + 100 * i, i));
        }
    }

    @AfterEach
    void tearDown() {
        Azurite.deleteQuietly(container);
    }

    @Test
    @Timeout(120)
    void aCopyWithASasWithoutDeleteIsPlannedAndRunAndLeavesNothingElse() {
        try (MigrationEngine engine = engine()) {
            PlanResult plan = engine.plan(spec(Mode.COPY));
            assertThat(plan.runnable()).as(plan.preflight().toString()).isTrue();

            RunResult r = engine.run(spec(Mode.COPY), ProgressListener.NONE);

            assertThat(r.outcome()).as(r.errors().toString()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(r.copied()).isEqualTo(FILES);
            assertThat(r.verification().clean()).isTrue();
        }
        assertThat(blobs(false)).containsExactlyInAnyOrder("f0.bin", "f1.bin", "f2.bin");
    }

    @Test
    void theWriteProbeNeedsNoDeleteAndLeavesNoBlob() {
        try (AzureBlobObjectStore store = Azurite.open(container.getBlobContainerName() + "/p", options())) {
            store.probeWrite(".caravan-probe-1");
            assertThat(store.list("").toList()).isEmpty();
        }
        assertThat(blobs(false)).as("nothing committed").isEmpty();
    }

    @Test
    void anUploadAbortedWithASasWithoutDeleteLeavesItsBlocksToExpire() {
        try (AzureBlobObjectStore store = Azurite.open(container.getBlobContainerName(), options())) {
            MultipartUpload upload = store.capability(MultipartUpload.class).orElseThrow();
            String id = upload.begin("big.bin", PutRequest.ofSize(8));
            upload.uploadPart("big.bin", id, 1, new ByteArrayInputStream(randomBytes(8, 1)), 8);

            upload.abort("big.bin", id); // no d: the never-committed blob cannot be deleted

            assertThat(store.list("").toList()).isEmpty();
        }
        assertThat(blobs(false)).as("nothing committed").isEmpty();
    }

    @Test
    void aSyncIsRefusedByThePlanNamingTheMissingDeletePermission() {
        try (MigrationEngine engine = engine()) {
            assertThatThrownBy(() -> engine.plan(spec(Mode.SYNC))).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("the target " + "azblob://").hasMessageContaining("missing d")
                    .hasMessageNotContaining(sas.replaceAll(".*sig=([^&]*).*", "$1"))
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        }
        assertThat(blobs(true)).as("nothing written").isEmpty();
    }

    /** Not only the plan: a sync run is refused before it lists or writes anything, not after copying everything. */
    @Test
    void aSyncRunIsRefusedBeforeAnythingIsWritten() {
        try (MigrationEngine engine = engine()) {
            assertThatThrownBy(() -> engine.run(spec(Mode.SYNC), ProgressListener.NONE))
                    .isInstanceOf(MigrationException.class).hasMessageContaining("missing d")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        }
        assertThat(blobs(true)).as("nothing written").isEmpty();
    }

    @Test
    void aDeleteWithASasWithoutDeleteFailsNamingItAndKeepsTheBlob() {
        container.getBlobClient("keep.txt").upload(com.azure.core.util.BinaryData.fromString("kept"));
        try (AzureBlobObjectStore store = Azurite.open(container.getBlobContainerName(), options())) {
            assertThatThrownBy(() -> store.delete("keep.txt")).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("the SAS grants 'racwl'").hasMessageContaining("d")
                    .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        }
        assertThat(blobs(false)).containsExactly("keep.txt");
    }

    /**
     * A backup dir in another container, given with its own SAS that cannot write ({@code sp=rl}): the plan and the run
     * of a copy that replaces a changed blob fail naming the backup dir and the missing {@code w, c}, before anything
     * is written. Before, the plan passed and the run copied the new blobs, then failed each replacement when it
     * first copied its original into the backup dir.
     */
    @Test
    @Timeout(120)
    void aBackupDirWhoseSasCannotWriteIsRefusedByThePlanAndTheRunBeforeAnythingIsWritten() {
        container.getBlobClient("f0.bin").upload(com.azure.core.util.BinaryData.fromString("the old f0"));
        BlobContainerClient kept = Azurite.newContainer("leastpriv-kept");
        try (MigrationEngine engine = engine()) {
            String readOnly = kept.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                    BlobContainerSasPermission.parse("rl")));
            MigrationSpec spec = spec(Mode.COPY).toBuilder().backup(BackupDir.of("azblob:" + kept
                    .getBlobContainerName(), null, false, Map.of("endpoint", Azurite.ENDPOINT, "sasToken", readOnly)))
                    .build();

            for (Runnable attempt : List.<Runnable>of(() -> engine.plan(spec),
                    () -> engine.run(spec, ProgressListener.NONE))) {
                assertThatThrownBy(attempt::run).isInstanceOf(MigrationException.class)
                        .hasMessageContaining("the backup dir azblob://").hasMessageContaining("missing w, c")
                        .hasMessageNotContaining(readOnly.replaceAll(".*sig=([^&]*).*", "$1"))
                        .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
            }
            assertThat(blobs(true)).as("nothing written").containsExactly("f0.bin");
            assertThat(container.getBlobClient("f0.bin").downloadContent().toString()).isEqualTo("the old f0");
            assertThat(kept.listBlobs().stream().toList()).isEmpty();
        } finally {
            Azurite.deleteQuietly(kept);
        }
    }

    private MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
    }

    private Map<String, String> options() {
        return Map.of("endpoint", Azurite.ENDPOINT, "sasToken", sas);
    }

    private MigrationSpec spec(Mode mode) {
        return MigrationSpec.builder("local:" + data, "azblob:" + container.getBlobContainerName())
                .targetOptions(options()).mode(mode).build();
    }

    /** The names of the container's blobs, with the uncommitted ones when asked (as an admin sees them). */
    private List<String> blobs(boolean uncommitted) {
        ListBlobsOptions list = new ListBlobsOptions();
        list.getDetails().setRetrieveUncommittedBlobs(uncommitted);
        return container.listBlobs(list, null).stream().map(BlobItem::getName).toList();
    }
}
