package dev.caravan.routes;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.journal.TaskRecord;
import dev.caravan.api.journal.TaskState;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.VmState;
import dev.caravan.connector.libvirt.LibvirtTestHosts;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.ProgressListener;
import dev.caravan.core.journal.RunSummary;
import dev.caravan.runtime.CaravanRuntime;
import dev.caravan.runtime.RoutesRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the VM route templates ({@code routes/vm/*.yaml}) through {@link CaravanRuntime}, as {@code caravan run}
 * does, against real QEMU guests on the two libvirt hosts of {@code scripts/servers/libvirt.sh} (run
 * {@code scripts/servers/libvirt.sh start} first; see {@link LibvirtTestHosts} for the coordinates). Guests get a
 * random suffix, so other test runs on the same hosts are left alone. Each test proves the move with the guest
 * itself (its serial counter continues without a reboot after live and storage moves; it boots on the target after
 * a cold move; disk digests match) and with the journal the runtime's engine keeps (what {@code caravan status}
 * shows: one COMPLETE run per move, downtime and iterations in the report).
 */
class VmRouteTemplatesIT {
    private static final String PREFIX = "cv-rt-" + UUID.randomUUID().toString().substring(0, 6);

    @TempDir
    static Path home;
    private static CaravanRuntime runtime;

    @TempDir
    Path tmp;
    private Hypervisor a;
    private Hypervisor b;
    private final List<String> guests = new ArrayList<>();

    @BeforeAll
    static void open() {
        runtime = CaravanRuntime.create(EngineSettings.defaults().withHome(home));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @BeforeEach
    void connect() {
        a = LibvirtTestHosts.open(A);
        b = LibvirtTestHosts.open(B);
    }

    @AfterEach
    void cleanup() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        guests.forEach(LibvirtTestHosts::cleanup);
    }

    private String guest(String name) {
        String full = PREFIX + "-" + name;
        guests.add(full);
        LibvirtTestHosts.cleanup(full);
        LibvirtTestHosts.startGuest(a, full);
        return full;
    }

    @Test
    @Timeout(240)
    void liveTemplateMovesTheRunningGuestToBAndBackAndARefusedPreflightMovesNothing() {
        String vm = guest("live");
        String before = LibvirtTestHosts.guestDigest(LibvirtTestHosts.image("A", "images", vm + ".qcow2"));

        // a shared-disk move of a disk that is not on shared storage: the preflight refuses, nothing moves
        RoutesRun refused = run("vm-live", Map.of("source", "libvirt:" + A, "target", "libvirt:" + B, "domain", vm,
                "sharedDisk", "true"));
        assertThat(refused.exitCode()).as(refused.errors().toString()).isEqualTo(2);
        assertThat(refused.errors()).singleElement().asString().contains("refused by preflight", "shared-storage");
        assertThat(LibvirtTestHosts.state(a, vm)).isEqualTo(VmState.RUNNING);
        assertThat(b.find(vm)).isEmpty();
        assertThat(lastRun("vm-live " + vm).outcome()).isEqualTo(RunOutcome.ABORTED);

        RoutesRun there = run("vm-live", live(vm, A, B));

        assertThat(there.errors()).isEmpty();
        assertThat(there.exitCode()).isZero();
        assertThat(LibvirtTestHosts.state(b, vm)).isEqualTo(VmState.RUNNING);
        assertThat(a.find(vm)).isEmpty();
        assertKeptRunning(vm, "A", "B");
        assertThat(LibvirtTestHosts.guestDigest(LibvirtTestHosts.image("B", "images", vm + ".qcow2")))
                .isEqualTo(before);
        assertJournaled("vm-live " + vm + ": libvirt:" + A + " -> libvirt:" + B, true);

        LibvirtTestHosts.truncateSerial("A", vm);
        RoutesRun back = run("vm-live", with(live(vm, B, A), "peerToPeer", "true"));

        assertThat(back.errors()).isEmpty();
        assertThat(LibvirtTestHosts.state(a, vm)).isEqualTo(VmState.RUNNING);
        assertThat(b.find(vm)).isEmpty();
        assertKeptRunning(vm, "B", "A");
        assertJournaled("vm-live " + vm + ": libvirt:" + B + " -> libvirt:" + A, true);
    }

    @Test
    @Timeout(180)
    void storageTemplateMovesTheRunningDiskToAnotherPoolAndBack() {
        String vm = guest("disk");
        Path pool2 = LibvirtTestHosts.image("A", "pool2", vm + ".qcow2");
        String before = LibvirtTestHosts.guestDigest(LibvirtTestHosts.image("A", "images", vm + ".qcow2"));

        RoutesRun moved = run("vm-storage", Map.of("source", "libvirt:" + A, "domain", vm,
                "destinationPool", "pool2"));

        assertThat(moved.errors()).isEmpty();
        assertThat(a.describe(vm).disks().get(0).source()).isEqualTo("/var/lib/libvirt/pool2/" + vm + ".qcow2");
        assertThat(LibvirtTestHosts.guestDigest(pool2)).isEqualTo(before);
        int lines = LibvirtTestHosts.counters("A", vm).size();

        String back = "/var/lib/libvirt/images/" + vm + ".back.qcow2";
        RoutesRun returned = run("vm-storage", Map.of("source", "libvirt:" + A, "domain", vm,
                "destinationPath", back, "deleteSourceImage", "true"));

        assertThat(returned.errors()).isEmpty();
        assertThat(a.describe(vm).disks().get(0).source()).isEqualTo(back);
        assertThat(Files.exists(pool2)).as("deleteSourceImage removed the old image").isFalse();
        assertThat(LibvirtTestHosts.guestDigest(LibvirtTestHosts.image("A", "images", vm + ".back.qcow2")))
                .isEqualTo(before);
        assertThat(LibvirtTestHosts.state(a, vm)).isEqualTo(VmState.RUNNING);
        LibvirtTestHosts.awaitCounter("A", vm, lines + 2);
        assertThat(LibvirtTestHosts.serial("A", vm).stream().filter(l -> l.startsWith("BOOT"))).as("never rebooted")
                .hasSize(1);
        assertJournaled("vm-storage " + vm + ": libvirt:" + A + " -> vda -> pool pool2", false);
    }

    @Test
    @Timeout(180)
    void coldTemplateCopiesVerifiesAndBootsTheGuestOnTheTarget() throws IOException {
        String vm = guest("cold");
        String fileDigest = LibvirtTestHosts.sha256(LibvirtTestHosts.image("A", "images", vm + ".qcow2"));

        RoutesRun cold = run("vm-cold", Map.of("source", "libvirt:" + A, "target", "libvirt:" + B, "domain", vm,
                "force", "true", "shutdownTimeout", "1s"));

        assertThat(cold.errors()).isEmpty();
        assertThat(LibvirtTestHosts.state(b, vm)).isEqualTo(VmState.RUNNING);
        assertThat(a.find(vm)).isEmpty();
        Path onB = LibvirtTestHosts.image("B", "images", vm + ".qcow2");
        assertThat(LibvirtTestHosts.sha256(onB)).isEqualTo(fileDigest);
        assertThat(Files.exists(LibvirtTestHosts.image("A", "images", vm + ".qcow2"))).isFalse();
        LibvirtTestHosts.awaitCounter("B", vm, 1);
        assertThat(LibvirtTestHosts.serial("B", vm).get(0)).startsWith("BOOT migtest");
        TaskRecord t = assertJournaled("vm-cold " + vm + ": libvirt:" + A + " -> libvirt:" + B, false);
        assertThat(t.report().values()).containsEntry("vm.detail.forcedShutdown", "true")
                .containsEntry("vm.detail.verify", "sha256");
    }

    @Test
    @Timeout(240)
    void drainTemplateMovesEveryMatchingRunningGuestWithABoundOnHowManyMoveAtOnce() {
        String one = guest("d1");
        String two = guest("d2");

        RoutesRun drain = run("vm-drain", Map.of("source", "libvirt:" + A, "target", "libvirt:" + B,
                "include", PREFIX + "-d*", "maxParallel", "1", "migrateUri", LibvirtTestHosts.MIGRATE_URI,
                "maxDowntime", "300ms", "autoConverge", "true"));

        assertThat(drain.errors()).isEmpty();
        assertThat(drain.exitCode()).isZero();
        for (String vm : List.of(one, two)) {
            assertThat(LibvirtTestHosts.state(b, vm)).as(vm).isEqualTo(VmState.RUNNING);
            assertThat(a.find(vm)).as(vm).isEmpty();
            assertKeptRunning(vm, "A", "B");
        }
        List<RunSummary> runs = runtime.engine().journal().runs(200).stream()
                .filter(r -> r.description().startsWith("vm-live " + PREFIX + "-d"))
                .sorted(Comparator.comparing(RunSummary::startedAt)).toList();
        assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(RunOutcome.COMPLETE));
        assertThat(runs.get(0).finishedAt()).as("maxParallel=1: one after the other")
                .isBeforeOrEqualTo(runs.get(1).startedAt());
    }

    private static Map<String, String> live(String vm, String from, String to) {
        return Map.of("source", "libvirt:" + from, "target", "libvirt:" + to, "domain", vm,
                "migrateUri", LibvirtTestHosts.MIGRATE_URI, "maxDowntime", "300ms", "autoConverge", "true");
    }

    private static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put(name, value);
        return out;
    }

    /** Instantiates a template in a route file, as a user writes it, and runs it as {@code caravan run} does. */
    private RoutesRun run(String template, Map<String, String> params) {
        String yaml = "- templatedRoute:\n    routeTemplateRef: " + template + "\n    routeId: it-" + template
                + "\n    parameters:\n" + params.entrySet().stream().map(e -> "      - name: " + e.getKey()
                        + "\n        value: \"" + e.getValue() + "\"\n").collect(Collectors.joining());
        try {
            Path file = Files.writeString(tmp.resolve(template + "-" + UUID.randomUUID() + ".yaml"), yaml);
            return runtime.runRoutes(List.of(file), ProgressListener.NONE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The guest's counter on {@code to} starts above its last value on {@code from}, goes on, and never BOOTs. */
    private static void assertKeptRunning(String vm, String from, String to) {
        long lastOnSource = LibvirtTestHosts.lastCounter(from, vm);
        long firstOnTarget = LibvirtTestHosts.awaitCounter(to, vm, 1);
        assertThat(LibvirtTestHosts.serial(to, vm)).as(vm + " on " + to).noneMatch(l -> l.startsWith("BOOT"));
        assertThat(LibvirtTestHosts.counters(to, vm).get(0)).as(vm + " continues").isGreaterThan(lastOnSource);
        assertThat(LibvirtTestHosts.awaitCounter(to, vm, LibvirtTestHosts.counters(to, vm).size() + 2))
                .isGreaterThan(firstOnTarget);
    }

    private static RunSummary lastRun(String descriptionPrefix) {
        return runtime.engine().journal().runs(200).stream().filter(r -> r.description().startsWith(descriptionPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no journal run '" + descriptionPrefix + "'"));
    }

    /** The newest run with this description is COMPLETE with its one task DONE; returns the task. */
    private static TaskRecord assertJournaled(String description, boolean live) {
        RunSummary run = lastRun(description);
        assertThat(run.description()).isEqualTo(description);
        assertThat(run.outcome()).isEqualTo(RunOutcome.COMPLETE);
        assertThat(run.tasksDone()).isEqualTo(1);
        TaskRecord task;
        try (Stream<TaskRecord> tasks = runtime.engine().journal().tasks(run.runId(), EnumSet.allOf(TaskState.class))) {
            task = tasks.findFirst().orElseThrow();
        }
        assertThat(task.state()).isEqualTo(TaskState.DONE);
        assertThat(Long.parseLong(task.report().values().get("vm.wallMs"))).isPositive();
        if (live) {
            assertThat(Long.parseLong(task.report().values().get("vm.downtimeMs"))).isPositive();
            assertThat(Long.parseLong(task.report().values().get("vm.iterations"))).isGreaterThanOrEqualTo(1);
            assertThat(Long.parseLong(task.report().values().get("vm.memoryBytes"))).isPositive();
        }
        return task;
    }
}
