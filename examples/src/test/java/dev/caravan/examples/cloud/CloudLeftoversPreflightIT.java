package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code target-leftovers} preflight check on Azurite, as a user sees it: an Azure target holds a temporary object
 * an interrupted run left ({@code .NAME.caravan-TASK.partial}), which the next plan removes, and the target SAS cannot
 * delete ({@code sp=racwl}, no {@code d}). {@code caravan copy --dry-run} (the plan, as {@code caravan plan} of the same
 * migration in YAML) fails the check naming the object count, the target and the missing {@code d}, and exits
 * non-zero; {@code caravan copy} is refused the same way, exit code 2, before it writes anything, as a failed plan
 * check promises. A SAS that may delete plans the removal, and the copy removes the leftover.
 */
class CloudLeftoversPreflightIT {
    private static final String LEFTOVER = ".a.txt.caravan-0123456789ab.partial";

    @TempDir
    Path tmp;
    private BlobContainerClient container;
    private Path source;

    @BeforeEach
    void setUp() throws Exception {
        container = CloudServers.azure().createBlobContainer(CloudServers.freshName("leftovers"));
        container.getBlobClient(LEFTOVER).upload(BinaryData.fromString("half a copy"));
        source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("a.txt"), "hello");
    }

    @AfterEach
    void tearDown() {
        container.deleteIfExists();
    }

    @Test
    void aPlanWhoseTargetSasCannotRemoveALeftoverFailsTheCheckNamingIt() {
        CaravanCommand plan = caravan("racwl", "copy", "--dry-run");

        assertThat(plan.code()).as(plan.toString()).isNotZero();
        assertThat(plan.out()).as(plan.toString()).contains("target-leftovers")
                .contains("1 temporary object an interrupted run left on azblob://")
                .contains("missing d").contains("grant delete, or remove them otherwise");
        assertThat(blobs()).as("a plan writes nothing").containsExactly(LEFTOVER);
    }

    /** Before, the run copied everything, then failed the removal with a 403, exit code 1. */
    @Test
    void aCopyWhoseTargetSasCannotRemoveALeftoverIsRefusedAsThePlanSaysBeforeWritingAnything() {
        CaravanCommand copy = caravan("racwl", "copy");

        assertThat(copy.code()).as(copy.toString()).isEqualTo(2);
        assertThat(copy.err()).as(copy.toString()).contains("target-leftovers: 1 temporary object an interrupted"
                + " run left on azblob://").contains("missing d").contains("nothing was written");
        assertThat(blobs()).as("nothing written").containsExactly(LEFTOVER);
    }

    @Test
    void aSasThatMayDeletePlansTheRemovalAndTheCopyRemovesIt() {
        CaravanCommand plan = caravan("racwdl", "copy", "--dry-run");
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).doesNotContain("target-leftovers");

        CaravanCommand copy = caravan("racwdl", "copy");
        assertThat(copy.code()).as(copy.toString()).isZero();
        assertThat(blobs()).containsExactly("a.txt");
    }

    /** {@code caravan COMMAND... local:SOURCE azblob:CONTAINER} with a container SAS granting {@code permissions}. */
    private CaravanCommand caravan(String permissions, String... command) {
        String sas = container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                BlobContainerSasPermission.parse(permissions)));
        List<String> args = new ArrayList<>(List.of("--home", tmp.resolve("home").toString(), "--no-progress"));
        args.addAll(List.of(command));
        args.addAll(List.of("local:" + source, "azblob:" + container.getBlobContainerName()));
        args.addAll(CloudServers.cliOptions("--target-option", Map.of("endpoint",
                CloudServers.azure().getAccountUrl(), "sasToken", sas)));
        return CaravanCommand.run(args);
    }

    private List<String> blobs() {
        return container.listBlobs().stream().map(BlobItem::getName).toList();
    }
}
