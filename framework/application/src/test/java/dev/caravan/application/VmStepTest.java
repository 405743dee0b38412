package dev.caravan.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vm steps against libvirt's in-process test driver ({@code test:///file.xml}, one fresh host per connection, no
 * volume streams): the plan shows the cold move's preflight and forecast, a preflight refusal refuses the run
 * before any step writes, bad options are refused with the step's location. The move itself needs volume
 * streams, which only a real libvirtd has: {@link ApplicationVmIT}.
 */
class VmStepTest {
    @TempDir
    Path tmp;
    private ApplicationSettings settings;

    @BeforeEach
    void hosts() throws Exception {
        Files.createDirectories(tmp.resolve("old/uploads"));
        Files.writeString(tmp.resolve("old/uploads/a.txt"), "uploaded file");
        String src = host("src.xml", 8 << 20, "<domain type='test'><name>web</name><uuid>11111111-2222-3333-4444-"
                + "555555555501</uuid><memory unit='MiB'>1024</memory><vcpu>1</vcpu><os><type arch='i686'>hvm</type>"
                + "</os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file="
                + "'/pools/a/web.qcow2'/><target dev='vda' bus='virtio'/></disk></devices><test:runstate xmlns:test="
                + "'http://libvirt.org/schemas/domain/test/1.0'>1</test:runstate></domain>", pool("aa", true));
        String big = host("big.xml", 8 << 20, pool("bb", false));
        String small = host("small.xml", 512 << 10, pool("cc", false));
        settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work")).withVariables(Map.of(
                "ENV", tmp.toString(), "SRC", src, "BIG", big, "SMALL", small));
    }

    private String host(String file, long memoryKib, String... parts) throws Exception {
        StringBuilder b = new StringBuilder("<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores>"
                + "<threads>1</threads><mhz>2000</mhz><model>i686</model><active>2</active></cpu><memory>"
                + memoryKib + "</memory>");
        for (String p : parts) {
            b.append(p);
        }
        return "libvirt:test://" + Files.writeString(tmp.resolve(file), b.append("</node>").toString())
                .toAbsolutePath();
    }

    private static String pool(String id, boolean withVolume) {
        return "<pool type='dir'><name>a</name><uuid>11111111-2222-3333-4444-5555555555" + id + "</uuid><target>"
                + "<path>/pools/a</path></target>" + (withVolume ? "<volume><name>web.qcow2</name><capacity unit="
                + "'MiB'>64</capacity><allocation unit='MiB'>64</allocation><target><format type='qcow2'/></target>"
                + "</volume>" : "") + "</pool>";
    }

    private Path plan(String target, String options) throws Exception {
        return Files.writeString(tmp.resolve("app.yaml"), """
                application:
                  name: vm-app
                  steps:
                    - id: uploads
                      kind: files
                      from: local:${ENV}/old/uploads
                      to: local:${ENV}/new/uploads
                    - id: vm
                      kind: vm
                      from: ${SRC}
                      to: ${%s}
                      domain: web
                      options: {%s}
                """.formatted(target, options));
    }

    @Test
    void planShowsTheColdMovesPreflightAndForecast() throws Exception {
        ApplicationPlan plan = ApplicationMigration.load(plan("BIG", "linkBandwidth: 32M"), settings).plan();

        ApplicationPlan.PlannedStep vm = plan.steps().get(1);
        System.out.println(plan.toText()); // kept in the surefire output: what a user reads
        assertThat(plan.runnable()).as(plan.toText()).isTrue();
        assertThat(vm.preview().figures()).containsEntry("domain", "web").containsEntry("state", "running")
                .containsEntry("bytes", 64L << 20);
        assertThat(vm.preview().checks()).anyMatch(c -> c.startsWith("OK memory"))
                .anyMatch(c -> c.contains("cpu-compatibility")).anyMatch(c -> c.startsWith("OK forecast"))
                .anyMatch(c -> c.startsWith("OK rollback")).noneMatch(c -> c.contains("unsupported"));
        assertThat(vm.preview().figures()).containsEntry("frozenCopySeconds", 2.0);
        assertThat(vm.preview().forecast()).as("the copy is downtime, not warm phase").isNull();
        assertThat(plan.toText()).contains("OK forecast: cold copy of 64 MiB at 32 MiB/s");
        assertThat(plan.toText()).contains("final pass: vm step 'vm'");
        assertThat(tmp.resolve("work")).doesNotExist();
    }

    @Test
    void aPreflightRefusalRefusesTheRunBeforeAnyStepWrites() throws Exception {
        assertThat(ApplicationMigration.load(plan("SMALL", ""), settings).plan().runnable()).isFalse();

        ApplicationReport report = ApplicationMigration.load(plan("SMALL", ""), settings).run();

        // the files step before the vm step copied nothing: the run was refused before the warm phase
        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.INVALID);
        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.failingStep()).isEqualTo("vm");
        assertThat(report.failure()).contains("refused by the preflight checks", "step 'vm': FAIL memory");
        assertThat(report.compensations()).isEmpty();
        assertThat(AppFixture.tree(tmp.resolve("new"))).isEmpty();
    }

    @Test
    void unknownAndMalformedOptionsAreRefusedWithTheStepsLocation() throws Exception {
        assertThatThrownBy(() -> ApplicationMigration.load(plan("BIG", "force: yes"), settings).plan())
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                    assertThat(e.getMessage()).contains("app.yaml:8:7", "vm step 'vm'", "force");
                });
        assertThatThrownBy(() -> ApplicationMigration.load(plan("BIG", "removeSorce: true"), settings).plan())
                .isInstanceOf(MigrationException.class).hasMessageContaining("unknown option 'removeSorce'")
                .hasMessageContaining("removeSource");
    }
}
