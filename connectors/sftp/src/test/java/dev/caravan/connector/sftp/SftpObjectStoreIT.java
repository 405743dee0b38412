package dev.caravan.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.testkit.contract.ObjectStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@link ObjectStoreContract} against a real SSH/SFTP server on loopback (Apache MINA SSHD in this JVM,
 * SFTP v3, password login, host key pinned by fingerprint). Each test gets a fresh directory on the server.
 */
class SftpObjectStoreIT extends ObjectStoreContract {

    @TempDir
    static Path served;

    private static SftpTestServer server;
    private String root;

    @BeforeAll
    static void startServer() throws Exception {
        server = new SftpTestServer(served);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected ObjectStore newStore() {
        root = server.newRoot();
        SftpStoreProvider provider = new SftpStoreProvider();
        return provider.open(server.location(root), provider.options().resolve(server.options()));
    }

    @Override
    protected void assertNothingWrittenOutside() {
        try (Stream<Path> all = Files.walk(served)) {
            assertThat(all.filter(p -> !p.equals(served))
                    .filter(p -> !served.relativize(p).getName(0).toString().matches("t[0-9]+")))
                    .as("files written outside the store roots /tN")
                    .isEmpty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
