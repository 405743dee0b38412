package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.MigrationKind;
import dev.caravan.runtime.VmRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan plan} and {@code caravan run} on {@code caravan-vm:} routes (the {@code vm-live} template) against
 * libvirt's test driver ({@code test:///file.xml}: an in-memory host per file, no migration API, no CPU
 * comparison). The plan runs the preflight and prints every check; a failed check gives exit code 1 and nothing
 * moves. A run whose move the preflight refuses is reported as refused (exit code 2); a move the host cannot make
 * is reported as failed (exit code 1).
 */
class VmRoutesCliTest {
    @TempDir
    Path dir;

    private CliRunner.Result caravan(String... args) {
        return CliRunner.inHome(dir.resolve("home"), args);
    }

    /** A vm-live route moving 'web' (1 GiB, running) to a target host with the given memory. */
    private Path liveRoute(long targetMemoryKib) throws IOException {
        String source = host("src.xml", 8L << 20, domain("web", "01", 1024, 1) + pool("aa", true));
        // shared nothing: the target's pool does not hold the disk (one it held would be the same file, check disk-copy)
        String target = host("dst.xml", targetMemoryKib, domain("other", "09", 512, 1) + pool("bb", false));
        return Files.writeString(dir.resolve("live.yaml"), """
                - templatedRoute:
                    routeTemplateRef: vm-live
                    routeId: move-web
                    parameters:
                      - name: source
                        value: "libvirt:%s"
                      - name: target
                        value: "libvirt:%s"
                      - name: domain
                        value: web
                """.formatted(source, target));
    }

    @Test
    void planRunsThePreflightAndPrintsEveryCheckAndTheForecast() throws IOException {
        CliRunner.Result r = caravan("plan", liveRoute(16L << 20).toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).contains("plan move-web: vm-live web libvirt:test://")
                .containsPattern("state +PASS +web is running")
                .containsPattern("memory +PASS")
                .containsPattern("cpu-compatibility +WARN") // the test driver cannot compare CPUs
                .contains("  forecast  ")
                .contains("the move would start", "nothing moved")
                .doesNotContain("FAIL");
    }

    @Test
    void planGivesExitCodeOneWhenAPreflightCheckFails() throws IOException {
        CliRunner.Result r = caravan("plan", liveRoute(1L << 20).toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as(r.toString()).containsPattern("memory +FAIL").contains("REFUSED");
        assertThat(r.err()).as(r.toString()).contains("vm-live of web would be refused: memory: ");
    }

    @Test
    void runReportsAMoveThePreflightRefusedAsBadInput() throws IOException {
        CliRunner.Result r = caravan("run", liveRoute(1L << 20).toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).as(r.toString()).contains("VM moves: 0 of 1 complete")
                .containsPattern("live +web +libvirt:test://\\S+src.xml -> libvirt:test://\\S+dst.xml +REFUSED")
                .contains("refused  web: live migration of web refused by preflight: memory");
        assertThat(r.err()).as(r.toString()).doesNotContain("no migration found");
    }

    @Test
    void runReportsAMoveTheHostCannotMakeAsFailed() throws IOException {
        CliRunner.Result r = caravan("run", liveRoute(16L << 20).toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).as(r.toString()).containsPattern("live +web +\\S+ -> \\S+ +FAILED");
    }

    @Test
    void aCompletedMoveIsOneRowWithItsFigures() {
        VmRun done = new VmRun(MigrationKind.LIVE, "web", "libvirt:qemu:///a", "libvirt:qemu:///b",
                VmRun.Status.COMPLETE, Duration.ofMillis(2500), Duration.ofMillis(42), 3, 3L << 30, null);

        List<String> lines = VmRunPrinter.lines(List.of(done));

        assertThat(lines.get(0)).isEqualTo("VM moves: 1 of 1 complete");
        assertThat(lines.get(2)).matches("  live +web +libvirt:qemu:///a -> libvirt:qemu:///b +COMPLETE +2\\.5s"
                + " +42ms +3 +3\\.0 GiB");
        assertThat(lines).hasSize(3);
    }

    @Test
    void aMoveThatTookOverAKilledRunsMigrationSaysSo() {
        VmRun done = new VmRun(MigrationKind.LIVE, "web", "libvirt:qemu:///a", "libvirt:qemu:///b",
                VmRun.Status.COMPLETE, Duration.ofMillis(900), Duration.ofMillis(40), 4, 1L << 30,
                "took over the migration an interrupted run of this move (journal run r1) left running; it completed");

        assertThat(VmRunPrinter.lines(List.of(done))).last().isEqualTo("  note  web: took over the migration an"
                + " interrupted run of this move (journal run r1) left running; it completed");
    }

    private String host(String file, long memoryKib, String parts) throws IOException {
        Path f = Files.writeString(dir.resolve(file), "<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores>"
                + "<threads>1</threads><mhz>2000</mhz><model>i686</model><active>2</active></cpu><memory>"
                + memoryKib + "</memory>" + parts + "</node>");
        return "test://" + f.toAbsolutePath();
    }

    /** A 'test' domain with a CPU model and one qcow2 disk in pool 'a'; runstate 1 running, 5 shut off. */
    private static String domain(String name, String id, int memoryMib, int runstate) {
        return "<domain type='test'><name>" + name + "</name><uuid>11111111-2222-3333-4444-5555555555" + id
                + "</uuid><memory unit='MiB'>" + memoryMib + "</memory><vcpu>1</vcpu><os><type arch='i686'>hvm"
                + "</type></os><cpu mode='custom' match='exact'><model fallback='forbid'>qemu32</model></cpu>"
                + "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                + "<source file='/pools/a/" + name + ".qcow2'/><target dev='vda' bus='virtio'/></disk></devices>"
                + "<test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>" + runstate
                + "</test:runstate></domain>";
    }

    /** Pool 'a' at /pools/a, with the web disk (64 MiB) or without it, and room for more. */
    private static String pool(String id, boolean withWebDisk) {
        return "<pool type='dir'><name>a</name><uuid>11111111-2222-3333-4444-5555555555" + id + "</uuid><capacity"
                + " unit='GiB'>100</capacity><available unit='GiB'>90</available><target><path>/pools/a</path>"
                + "</target>" + (withWebDisk ? "<volume><name>web.qcow2</name><capacity unit='MiB'>64</capacity>"
                + "<allocation unit='MiB'>64</allocation><target><format type='qcow2'/></target></volume>" : "")
                + "</pool>";
    }
}
