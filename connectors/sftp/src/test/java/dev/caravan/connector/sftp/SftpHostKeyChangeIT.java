package dev.caravan.connector.sftp;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.engine.RunResult;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.contract.ContractSupport;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose host key changes while a store uses it (restarted with new keys, or an impostor in its place, on
 * the same address): the first connection that meets the new key fails with one FATAL error naming the old and the
 * new fingerprint and how to accept a legitimate change, and nothing more is sent to the server: every later
 * operation fails with that error without connecting. Through the engine, the run stops unfinished at once instead
 * of failing object by object, and the same run continues once the new key is accepted.
 */
class SftpHostKeyChangeIT {

    @TempDir
    Path served;

    @TempDir
    Path local;

    private final List<SftpTestServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (SftpTestServer s : servers) {
            s.close();
        }
    }

    private SftpTestServer start(int port) throws Exception {
        SftpTestServer s = new SftpTestServer(served, port);
        servers.add(s);
        return s;
    }

    /** Stops {@code old} and starts a server of the same files on its port with another host key. */
    private SftpTestServer replace(SftpTestServer old) throws Exception {
        int port = old.port();
        old.close();
        return start(port);
    }

    @Test
    void aKeyThatChangesDuringTheRunIsAFatalStopWithoutAnotherConnection() throws Exception {
        SftpTestServer first = start(0);
        Path knownHosts = local.resolve("known_hosts");
        Files.writeString(knownHosts, first.knownHostsLine() + "\n");
        String root = first.newRoot();
        SftpStoreProvider provider = new SftpStoreProvider();
        try (ObjectStore store = provider.open(first.location(root), provider.options().resolve(Map.of(
                "password", SftpTestServer.PASSWORD, "knownHosts", knownHosts.toString())))) {
            store.put("a.txt", new ByteArrayInputStream(new byte[] {1}), PutRequest.ofSize(1));
            SftpTestServer second = replace(first);

            MigrationException e = assertFailsWith(ErrorKind.FATAL, "a stat after the key changed",
                    () -> store.stat("a.txt"));
            assertThat(e.getMessage()).contains("host key of 127.0.0.1:" + second.port() + " CHANGED during the run")
                    .contains(first.fingerprint()).contains(second.fingerprint())
                    .contains("ssh-keygen -R '[127.0.0.1]:" + second.port() + "'").contains(knownHosts.toString())
                    .contains("hostKeyFingerprint=" + second.fingerprint()).contains("nothing more is sent");
            MigrationException again = assertFailsWith(ErrorKind.FATAL, "a listing after that",
                    () -> store.list("").close());
            assertThat(again).hasMessage(e.getMessage());
            assertFailsWith(ErrorKind.FATAL, "a put after that",
                    () -> store.put("b.txt", new ByteArrayInputStream(new byte[] {2}), PutRequest.ofSize(1)));
            assertThat(second.sessionsCreated()).as("connections made to the server with the new key").isEqualTo(1);
        }
    }

    @Test
    void concurrentCallersAfterARestartMakeOneHandshake() throws Exception {
        SftpTestServer first = start(0);
        String root = first.newRoot();
        try (ObjectStore store = first.open(root, "sessions", "4")) { // the fingerprint is pinned
            store.put("a.txt", new ByteArrayInputStream(new byte[] {1}), PutRequest.ofSize(1));
            SftpTestServer second = replace(first);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Object>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(pool.submit((Callable<Object>) () -> store.stat("a.txt")));
                }
                for (Future<Object> call : calls) {
                    Throwable failure = catchThrowableOfType(call::get, java.util.concurrent.ExecutionException.class)
                            .getCause();
                    assertThat(failure).isInstanceOf(MigrationException.class);
                    assertThat(((MigrationException) failure).kind()).isEqualTo(ErrorKind.FATAL);
                    assertThat(failure).hasMessageContaining("set hostKeyFingerprint=" + second.fingerprint())
                            .hasMessageContaining(first.fingerprint());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(second.sessionsCreated()).as("handshakes with the new key for 8 callers").isEqualTo(1);
        }
    }

    @Test
    void theEngineStopsTheRunOnceAndTheSameRunContinuesWhenTheKeyIsAccepted() throws Exception {
        Path source = Files.createDirectories(local.resolve("src"));
        int files = 40;
        for (int i = 0; i < files; i++) {
            Files.write(source.resolve(String.format("f%02d.bin", i)), ContractSupport.randomBytes(64 << 10, i));
        }
        SftpTestServer first = start(0);
        String root = first.newRoot();
        Path home = local.resolve("home");
        AtomicReference<SftpTestServer> second = new AtomicReference<>();
        AtomicReference<Exception> swapFailed = new AtomicReference<>();
        ProgressListener swapAfterTheFirstObjects = progress -> {
            if (progress.itemsDone() >= 2 && second.get() == null && swapFailed.get() == null) {
                try {
                    second.set(replace(first));
                } catch (Exception e) {
                    swapFailed.set(e);
                }
            }
        };
        Map<String, String> options = new HashMap<>(first.options());
        MigrationSpec.Builder spec = MigrationSpec.builder("local:" + source, "sftp:" + first.location(root))
                .transfers(4).bandwidth(512 << 10).retryBaseDelay(Duration.ofMillis(50));
        try (MigrationEngine engine = MigrationEngine.open(settings(home))) {
            MigrationException stopped = catchThrowableOfType(
                    () -> engine.run(spec.targetOptions(options).build(), swapAfterTheFirstObjects),
                    MigrationException.class);
            assertThat(swapFailed.get()).isNull();
            assertThat(stopped).as("the run's end").isNotNull();
            assertThat(stopped.kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(stopped).hasMessageContaining("CHANGED during the run")
                    .hasMessageContaining(second.get().fingerprint());
        }
        assertThat(second.get().sessionsCreated()).as("connections made to the server with the new key")
                .isEqualTo(1);
        assertThat(first.filesUnder(root).stream().filter(f -> f.endsWith(".bin")).count())
                .as("objects copied before the stop").isLessThan(files);

        options.put("hostKeyFingerprint", second.get().fingerprint()); // the administrator confirmed the new key
        try (MigrationEngine engine = MigrationEngine.open(settings(home))) {
            RunResult result = engine.run(spec.targetOptions(options).bandwidth(0).build(), ProgressListener.NONE);
            assertThat(result.outcome()).as("%s", result.errors()).isEqualTo(RunOutcome.COMPLETE);
            assertThat(result.resumed()).as("the stopped run continued").isTrue();
        }
        assertThat(first.filesUnder(root).stream().filter(f -> f.endsWith(".bin")).count()).isEqualTo(files);
    }

    private static EngineSettings settings(Path home) {
        return new EngineSettings("jdbc:h2:file:" + home.resolve("journal"), home, null, Duration.ofMillis(20));
    }
}
