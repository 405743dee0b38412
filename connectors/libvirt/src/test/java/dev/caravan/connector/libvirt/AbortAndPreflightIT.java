package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.vm.JobProgress;
import dev.caravan.api.vm.LiveMigrationOptions;
import dev.caravan.api.vm.LiveMigrationOptions.TimeoutAction;
import dev.caravan.api.vm.MigrationKind;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On real hosts: the preflight's CPU comparison and convergence forecast (with the guest's sampled dirty rate),
 * an abort on request and an abort at the completion timeout, both leaving the guest running on the source, and
 * the timeout action 'suspend' that finishes a migration pre-copy alone cannot.
 */
class AbortAndPreflightIT extends TestHostsFixture {
    private static final String VM = "cv-abort";
    private static final String CPU_VM = "cv-cpu";
    private static final long ONE_MIB = 1 << 20;

    AbortAndPreflightIT() {
        super(VM, CPU_VM);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void preflightRefusesACpuModelTheTargetCannotProvide() {
        a.define(LibvirtTestHosts.domainXml(CPU_VM, "/var/lib/libvirt/images/" + CPU_VM + ".qcow2", "Skylake-Server"),
                false);

        List<PreflightCheck> checks = a.preflight(CPU_VM, b, MigrationKind.COLD, LiveMigrationOptions.defaults());

        assertThat(checks).filteredOn(c -> c.name().equals("cpu-compatibility")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.FAIL))
                .satisfies(c -> assertThat(c.detail()).contains("Skylake-Server", "incompatible"));
        assertThat(checks).filteredOn(c -> c.name().equals("hypervisor-type")).singleElement()
                .extracting(PreflightCheck::status).isEqualTo(PreflightCheck.Status.PASS);
    }

    @Test
    @Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void forecastAndAbortsLeaveTheGuestRunningOnTheSource() throws Exception {
        LibvirtTestHosts.startGuest(a, VM);
        LiveMigrationOptions slow = LiveMigrationOptions.builder().migrateUri(LibvirtTestHosts.MIGRATE_URI)
                .bandwidth(ONE_MIB).build();

        // the guest dirties its 32 MiB working set ~2500 times a second: at 1 MiB/s pre-copy cannot converge
        List<PreflightCheck> checks = a.preflight(VM, b, MigrationKind.LIVE,
                slow.toBuilder().dirtyRateSample(Duration.ofSeconds(1)).build());
        assertThat(checks).filteredOn(c -> c.name().equals("cpu-compatibility")).singleElement()
                .extracting(PreflightCheck::status).isEqualTo(PreflightCheck.Status.PASS);
        assertThat(checks).filteredOn(c -> c.name().equals("memory")).singleElement()
                .extracting(PreflightCheck::status).isEqualTo(PreflightCheck.Status.PASS);
        assertThat(checks).filteredOn(c -> c.name().equals("source-job")).singleElement()
                .extracting(PreflightCheck::status).isEqualTo(PreflightCheck.Status.PASS);
        assertThat(checks).filteredOn(c -> c.name().equals("forecast")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.FAIL))
                .satisfies(c -> assertThat(c.detail()).contains("cannot converge").doesNotContain("not sampled"));

        // abort on request, from another thread, once the job is moving data
        List<JobProgress> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                a.migrateLive(VM, b, slow, seen::add);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(60, TimeUnit.SECONDS).until(() -> seen.stream().anyMatch(p -> p.processedBytes() > 0));
        // a second move while this one runs (a rerun after its client was killed) is refused for what it is
        assertThat(a.preflight(VM, b, MigrationKind.LIVE, slow)).filteredOn(c -> c.name().equals("source-job"))
                .singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(PreflightCheck.Status.FAIL))
                .satisfies(c -> assertThat(c.detail()).contains("already has a job running on the source",
                        "virsh domjobabort " + VM));
        a.abort(VM);
        Throwable aborted = outcome.get(90, TimeUnit.SECONDS);
        assertThat(aborted).isInstanceOfSatisfying(MigrationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
            assertThat(e.getMessage()).contains("aborted on request", "keeps running");
        });
        assertRunningOnA();

        // abort at the completion timeout
        long t0 = System.nanoTime();
        Throwable timedOut = CompletableFuture.supplyAsync(() -> {
            try {
                a.migrateLive(VM, b, slow.toBuilder().completionTimeout(Duration.ofSeconds(2), TimeoutAction.ABORT)
                        .build(), p -> { });
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }).get(90, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(timedOut).isInstanceOf(MigrationException.class).hasMessageContaining("did not complete within");
        assertRunningOnA();

        // no completion timeout set: the default policy's, here scaled down to 1 s per GiB (2 GiB counted: 2 s)
        long t1 = System.nanoTime();
        Throwable byDefault = CompletableFuture.supplyAsync(() -> {
            try {
                a.migrateLive(VM, b, slow.toBuilder().completionTimeoutPerGiB(Duration.ofSeconds(1)).build(),
                        p -> { });
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }).get(90, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(30));
        assertThat(byDefault).isInstanceOf(MigrationException.class).hasMessageContaining(
                "did not complete within 2000 ms (the default completion timeout: 1000 ms per GiB");
        assertRunningOnA();
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timeoutSuspendFinishesAMigrationThatCannotConverge() {
        LibvirtTestHosts.startGuest(a, VM);
        LibvirtTestHosts.truncateSerial("B", VM);
        LiveMigrationOptions o = LiveMigrationOptions.builder().migrateUri(LibvirtTestHosts.MIGRATE_URI)
                .bandwidth(20 * ONE_MIB).maxDowntime(Duration.ofMillis(100))
                .completionTimeout(Duration.ofSeconds(3), TimeoutAction.SUSPEND).build();

        var r = a.migrateLive(VM, b, o, p -> { });

        assertThat(b.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(a.find(VM)).isEmpty();
        assertThat(r.wall()).isGreaterThan(Duration.ofSeconds(3));
        assertThat(r.downtime()).as("paused at the timeout until the rest was sent").isGreaterThan(Duration.ofMillis(300));
        long lastOnA = LibvirtTestHosts.counters("A", VM).get(LibvirtTestHosts.counters("A", VM).size() - 1);
        LibvirtTestHosts.awaitCounter("B", VM, 2);
        assertThat(LibvirtTestHosts.serial("B", VM)).noneMatch(l -> l.startsWith("BOOT"));
        assertThat(LibvirtTestHosts.counters("B", VM).get(0)).isGreaterThan(lastOnA);
    }

    private void assertRunningOnA() {
        assertThat(a.find(VM)).get().extracting(x -> x.state()).isEqualTo(VmState.RUNNING);
        assertThat(b.find(VM)).isEmpty();
        assertThat(LibvirtTestHosts.image("B", "images", VM + ".qcow2")).as("the partial copy libvirt created on B")
                .doesNotExist();
        assertThat(a.jobProgress(VM)).isEmpty();
        int lines = LibvirtTestHosts.counters("A", VM).size();
        LibvirtTestHosts.awaitCounter("A", VM, lines + 2);
        assertThat(LibvirtTestHosts.serial("A", VM).stream().filter(l -> l.startsWith("BOOT"))).hasSize(1);
    }
}
