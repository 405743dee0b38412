package dev.caravan.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.ColdMigrationOptions;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.MigrationResult;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmState;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.registry.ConnectorRegistry;
import dev.caravan.core.testing.MemoryStore;
import dev.caravan.core.testing.MemoryStoreProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold-migration orchestration over fake hypervisors whose volumes live in memory stores: the order of the
 * steps, the copy through the engine (verified), and what is left when something fails.
 */
class ColdMigrationTest {
    @TempDir
    Path home;
    private MigrationEngine engine;
    private FakeHypervisor a;
    private FakeHypervisor b;
    private final byte[] disk = "qcow2 image bytes of vm1, not all zero".repeat(1000).getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        MemoryStore.reset();
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(home),
                ConnectorRegistry.of(new MemoryStoreProvider()));
        a = new FakeHypervisor("a");
        b = new FakeHypervisor("b");
        a.domains.put("vm1", new String[] {FakeHypervisor.xml("vm1", "/a/images/vm1.qcow2"), "RUNNING"});
        MemoryStore.named("a-images").add("vm1.qcow2", disk, Instant.now());
        MemoryStore.named("a-images").add("other.qcow2", new byte[] {1, 2, 3}, Instant.now());
    }

    @AfterEach
    void tearDown() {
        engine.close();
        MemoryStore.reset();
    }

    @Test
    void shutsDownCopiesDefinesStartsThenRemovesTheSource() {
        List<JobProgress> seen = new CopyOnWriteArrayList<>();

        MigrationResult r = new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(), seen::add);

        assertThat(MemoryStore.named("b-images").bytes("vm1.qcow2")).isEqualTo(disk);
        assertThat(MemoryStore.named("b-images").objects()).containsOnlyKeys("vm1.qcow2");
        assertThat(b.domains.get("vm1")[0]).isEqualTo("vm1|/b/images/vm1.qcow2");
        assertThat(b.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.domains).doesNotContainKey("vm1");
        assertThat(MemoryStore.named("a-images").objects()).containsOnlyKeys("other.qcow2");
        assertThat(a.calls).containsExactly("preflight vm1", "shutdown vm1", "sameStorage vda", "undefine vm1");
        assertThat(b.calls).containsExactly("define vm1", "start vm1");
        assertThat(r.diskBytes()).isEqualTo(disk.length);
        assertThat(r.details()).containsEntry("forcedShutdown", "false").containsEntry("volumes", "images/vm1.qcow2");
        assertThat(r.details().get("phaseMillis")).startsWith("preflight=").contains(",shutdown=", ",copy=",
                ",start=", ",undefine=");
        assertThat(seen).isNotEmpty();
    }

    @Test
    void aFailedPreflightChangesNothing() {
        a.preflight = List.of(new PreflightCheck("memory", PreflightCheck.Status.FAIL, "needs 128 MiB, 64 free"));

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(),
                null)).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                    assertThat(e.getMessage()).contains("memory: needs 128 MiB");
                });
        assertThat(a.calls).containsExactly("preflight vm1");
        assertThat(a.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void aDiskTheCopyCannotNameIsRefusedBeforeTheGuestStops() {
        a.domains.put("vm2", new String[] {FakeHypervisor.xml("vm2", "/a/images/vm[2].qcow2"), "RUNNING"});

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm2", ColdMigrationOptions.defaults(),
                null)).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_DATA);
                    assertThat(e.getMessage()).contains("vm[2].qcow2 contains glob characters");
                });
        assertThat(a.calls).containsExactly("preflight vm2");
        assertThat(a.find("vm2")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void aPreflightRefusalWinsOverTheLayoutsOwnErrors() {
        a.domains.put("vm2", new String[] {FakeHypervisor.xml("vm2", "/a/images/vm[2].qcow2"), "RUNNING"});
        a.preflight = List.of(new PreflightCheck("cpu-compatibility", PreflightCheck.Status.FAIL, "no qemu64"));

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm2", ColdMigrationOptions.defaults(),
                null)).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                    assertThat(e.getMessage()).contains("cpu-compatibility: no qemu64");
                });
        assertThat(a.calls).containsExactly("preflight vm2");
    }

    @Test
    void aGuestIgnoringAcpiIsOnlyPoweredOffWhenAllowed() {
        a.ignoreAcpi = true;

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(),
                null)).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
        assertThat(b.domains).isEmpty();

        MigrationResult r = new ColdMigration(engine).migrate(a, b, "vm1",
                ColdMigrationOptions.defaults().withShutdown(Duration.ofMillis(10), true), null);
        assertThat(r.details()).containsEntry("forcedShutdown", "true");
    }

    @Test
    void aCorruptCopyLeavesTheSourceDefinedAndRunningAgain() {
        MemoryStore.named("b-images").corruptPuts = true;

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(),
                null)).isInstanceOf(MigrationException.class).hasMessageContaining("rerun to resume");

        assertThat(a.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.calls).containsExactly("preflight vm1", "shutdown vm1", "sameStorage vda", "start vm1");
        assertThat(b.domains).isEmpty();
        assertThat(MemoryStore.named("a-images").bytes("vm1.qcow2")).isEqualTo(disk);
        assertThat(Map.copyOf(MemoryStore.named("b-images").objects())).doesNotContainKey("vm1.qcow2");
    }

    @Test
    void aDiskBothHostsSeeIsNeitherCopiedNorDeleted() {
        a.sharedSources.add("/a/images/vm1.qcow2");

        MigrationResult r = new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(), null);

        // the target runs on the very file the source used: deleting the "source volume" would delete its disk
        assertThat(MemoryStore.named("a-images").bytes("vm1.qcow2")).isEqualTo(disk);
        assertThat(MemoryStore.named("b-images").objects()).isEmpty();
        assertThat(b.domains.get("vm1")[0]).isEqualTo("vm1|/a/images/vm1.qcow2");
        assertThat(b.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.domains).doesNotContainKey("vm1");
        assertThat(r.diskBytes()).isZero();
        assertThat(r.details()).containsEntry("sharedVolumes", "images/vm1.qcow2").containsEntry("volumes", "");
    }

    @Test
    void aMoveKilledAfterTheTargetWasDefinedIsFinishedNotRefused() {
        // what a run killed between starting the domain on the target and removing it from the source leaves
        a.domains.get("vm1")[1] = "SHUT_OFF";
        b.domains.put("vm1", new String[] {FakeHypervisor.xml("vm1", "/b/images/vm1.qcow2"), "SHUT_OFF"});
        MemoryStore.named("b-images").add("vm1.qcow2", disk, Instant.now());

        MigrationResult r = new ColdMigration(engine).resumeInterrupted(a, b, "vm1", ColdMigrationOptions.defaults())
                .orElseThrow();

        assertThat(r.details()).containsEntry("resumed", "true").containsEntry("volumes", "images/vm1.qcow2");
        assertThat(b.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(b.calls).containsExactly("start vm1");
        assertThat(a.domains).doesNotContainKey("vm1");
        assertThat(MemoryStore.named("a-images").objects()).containsOnlyKeys("other.qcow2");
        assertThat(MemoryStore.named("b-images").bytes("vm1.qcow2")).isEqualTo(disk);
    }

    @Test
    void aMoveStoppedPastThePointOfNoReturnIsFinishedFromWhatItRecorded() {
        Map<String, String> recorded = new ConcurrentHashMap<>();
        a.afterUndefine = new IllegalStateException("connection lost"); // stopped between undefine and deletion

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(), null,
                recorded::putAll)).isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).as("the guest runs on b: no refusal").isEqualTo(ErrorKind.FATAL);
                    assertThat(e.getMessage()).contains("it runs on fake:b, but removing it from the source failed",
                            "connection lost", "run the move again");
                });
        assertThat(b.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.domains).doesNotContainKey("vm1");
        assertThat(MemoryStore.named("a-images").objects()).as("left over").containsKey("vm1.qcow2");
        assertThat(recorded).containsEntry("cold.step", "removeSource").containsEntry("cold.undefineSource", "true")
                .containsEntry("cold.deleteVolumes", "images/vm1.qcow2");

        a.afterUndefine = null;
        b.calls.clear();
        MigrationResult r = new ColdMigration(engine).resumeInterrupted(a, b, "vm1", ColdMigrationOptions.defaults(),
                recorded, s -> { }).orElseThrow();

        assertThat(r.details()).containsEntry("resumed", "true").containsEntry("volumes", "images/vm1.qcow2");
        assertThat(MemoryStore.named("a-images").objects()).containsOnlyKeys("other.qcow2");
        assertThat(MemoryStore.named("b-images").bytes("vm1.qcow2")).isEqualTo(disk);
        assertThat(b.calls).as("the target is left as it runs").isEmpty();
        // done twice (a rerun killed in the middle of this one): nothing left to do, no error
        assertThat(new ColdMigration(engine).resumeInterrupted(a, b, "vm1", ColdMigrationOptions.defaults(),
                recorded, s -> { })).isPresent();
    }

    @Test
    void aRecordedRemovalRemovesNothingWhenTheTargetDoesNotHoldTheDomain() {
        a.domains.get("vm1")[1] = "SHUT_OFF";
        Map<String, String> recorded = Map.of("cold.step", "removeSource", "cold.undefineSource", "true",
                "cold.deleteVolumes", "images/vm1.qcow2");

        assertThatThrownBy(() -> new ColdMigration(engine).resumeInterrupted(a, b, "vm1",
                ColdMigrationOptions.defaults(), recorded, s -> { })).isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.getMessage()).contains("holds no domain vm1 now: nothing was removed"));
        assertThat(a.domains).containsKey("vm1");
        assertThat(MemoryStore.named("a-images").objects()).containsKey("vm1.qcow2");
    }

    @Test
    void nothingIsResumedWhileTheSourceRunsOrTheTargetHoldsAnotherDomain() {
        b.domains.put("vm1", new String[] {FakeHypervisor.xml("vm1", "/b/images/vm1.qcow2"), "RUNNING"});

        assertThat(new ColdMigration(engine).resumeInterrupted(a, b, "vm1", ColdMigrationOptions.defaults()))
                .isEmpty();
        b.domains.clear();
        a.domains.get("vm1")[1] = "SHUT_OFF";
        assertThat(new ColdMigration(engine).resumeInterrupted(a, b, "vm1", ColdMigrationOptions.defaults()))
                .isEmpty();
        assertThat(a.domains).containsKey("vm1");
        assertThat(MemoryStore.named("a-images").objects()).containsKey("vm1.qcow2");
        assertThat(a.calls).isEmpty();
        assertThat(b.calls).isEmpty();
    }

    @Test
    void aFailureAfterTheShutdownIsNoRefusalWhateverItsKind() {
        b.startFailure = MigrationException.notFound("Cannot access storage file '/b/images/base.qcow2'");

        assertThatThrownBy(() -> new ColdMigration(engine).migrate(a, b, "vm1", ColdMigrationOptions.defaults(),
                null)).isInstanceOfSatisfying(MigrationException.class, e -> {
                    // the guest was down for the copy: exit code 1 (failed), not 2 (refused, nothing done)
                    assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
                    assertThat(e.getMessage()).contains("failed after it was shut down (started again on the source)",
                            "Cannot access storage file");
                });
        assertThat(a.find("vm1")).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(b.domains).isEmpty();
    }
}
