package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A symbolic link to a directory below an SFTP target's root is never written through: a link sub -> elsewhere took
 * sub/file.txt out of the root, and the next listing (which does not follow links) planned it again (found by
 * exploratory testing). The local store refuses the same.
 */
class SftpLinksIT {
    @TempDir
    static Path tmp;

    private static SftpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new SftpTestServer(Files.createDirectories(tmp.resolve("served")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aKeyBelowALinkedDirectoryIsRefusedAndNothingIsWrittenOutOfTheRoot() throws Exception {
        String root = server.newRoot();
        Path rootDir = server.served().resolve(root.substring(1));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(rootDir);
        Files.createSymbolicLink(rootDir.resolve("sub"), outside);
        try (ObjectStore store = server.open(root)) {
            byte[] data = {1, 2, 3};
            MigrationException e = assertFailsWith(ErrorKind.USER_DATA, "a write through a link",
                    () -> store.put("sub/deeper/file.txt", new ByteArrayInputStream(data), PutRequest.ofSize(3)));
            assertThat(e).hasMessageContaining("is a symbolic link: links are never followed out of the root");
            store.put("other/file.txt", new ByteArrayInputStream(data), PutRequest.ofSize(3));
        }
        try (var listing = Files.walk(outside)) {
            assertThat(listing.filter(Files::isRegularFile).toList()).as("nothing out of the root").isEmpty();
        }
        assertThat(rootDir.resolve("other/file.txt")).exists();
    }
}
