package dev.caravan.application;

import static dev.caravan.application.AppFixture.tree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Application plans with a files step and a vm step on the two real libvirt hosts of
 * {@code scripts/servers/libvirt.sh} (QEMU TCG guest, cold migration through libvirt storage streams): the complete
 * cutover moves the VM (and, with {@code removeSource}, only then removes it from the source); a failure after the
 * VM moved rolls it back: gone from the target with its copied volume, running again on the source.
 */
class ApplicationVmIT {
    private static final String VM = "cv-app-vm";
    @TempDir
    Path tmp;
    private Hypervisor a;
    private Hypervisor b;
    private ApplicationSettings settings;

    @BeforeEach
    void setUp() throws Exception {
        LibvirtHosts.cleanup(VM);
        a = LibvirtHosts.open(LibvirtHosts.A);
        b = LibvirtHosts.open(LibvirtHosts.B);
        LibvirtHosts.startGuest(a, VM);
        Files.createDirectories(tmp.resolve("old/uploads"));
        Files.writeString(tmp.resolve("old/uploads/a.txt"), "uploaded file");
        settings = ApplicationSettings.defaults().withWorkDir(tmp.resolve("work")).withVariables(Map.of(
                "ENV", tmp.toString(), "SRC", LibvirtHosts.A, "DST", LibvirtHosts.B, "VM", VM));
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
        LibvirtHosts.cleanup(VM);
    }

    private Path plan(String vmOptions, String extra) throws Exception {
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
                      after: [uploads]
                      from: ${SRC}
                      to: ${DST}
                      domain: ${VM}
                      options: {force: true, shutdownTimeout: 1s%s}
                  cutover:
                    freeze:
                      - shell: 'touch ${ENV}/maintenance.flag'
                        compensate: {shell: 'rm -f ${ENV}/maintenance.flag'}
                """.formatted(vmOptions) + extra);
    }

    @Test
    void theCutoverMovesTheVmAndOnlyThenRemovesItFromTheSource() throws Exception {
        ApplicationReport report = ApplicationMigration.load(plan(", removeSource: true", ""), settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.COMPLETE);
        assertThat(b.find(VM)).get().extracting(VmRef::state).isEqualTo(VmState.RUNNING);
        assertThat(a.find(VM)).isEmpty();
        assertThat(LibvirtHosts.volumes(LibvirtHosts.A, VM)).isEmpty();
        assertThat(LibvirtHosts.volumes(LibvirtHosts.B, VM)).containsExactly(VM + ".qcow2");
        assertThat(tree(tmp.resolve("new/uploads"))).isEqualTo(tree(tmp.resolve("old/uploads")));
        ApplicationReport.StepReport vm = report.steps().get(1);
        assertThat(vm.verified()).isTrue();
        assertThat(vm.verification()).contains("runs on the target", "sha256");
        assertThat(vm.phases().get("warm")).containsEntry("bytes", 0L);
        assertThat((Long) vm.phases().get("final").get("bytes")).isPositive();
        assertThat(vm.phases().get("complete").get("done").toString()).contains("undefined", "1 source volume");
    }

    @Test
    void aFailedVerificationAfterTheMoveBringsTheVmBackToTheSource() throws Exception {
        // the guest is killed on the target just before verification: the vm step's verification fails
        String extra = """
                  hooks:
                    verify:
                      pre:
                        - shell: 'virsh -q -c "${DST#libvirt:}" destroy ${VM}'
                """;
        ApplicationReport report = ApplicationMigration.load(plan("", extra.replace("${DST#libvirt:}",
                LibvirtHosts.B.substring(8))), settings).run();

        assertThat(report.outcome()).as(report.toText()).isEqualTo(ApplicationReport.Outcome.ROLLED_BACK);
        assertThat(report.failingStep()).as(report.toText()).isEqualTo("vm");
        assertThat(report.failedAt()).as(report.toText()).isEqualTo("verification of step 'vm'");
        assertThat(b.find(VM)).isEmpty();
        assertThat(LibvirtHosts.volumes(LibvirtHosts.B, VM)).isEmpty();
        assertThat(a.find(VM)).get().extracting(VmRef::state).isEqualTo(VmState.RUNNING);
        assertThat(LibvirtHosts.volumes(LibvirtHosts.A, VM)).containsExactly(VM + ".qcow2");
        assertThat(report.compensations()).anySatisfy(c -> assertThat(c).startsWith("step 'vm': destroyed and "
                + "undefined " + VM + " on the target, deleted 1 volume(s)").contains("restarted " + VM));
        assertThat(report.steps().get(1).compensation()).contains("restarted " + VM + " on the source");
        assertThat(tree(tmp.resolve("new"))).isEmpty();
        assertThat(tmp.resolve("maintenance.flag")).doesNotExist();
    }
}
