package dev.caravan.camel.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunOutcome;
import dev.caravan.api.vm.PreflightCheck;
import dev.caravan.api.vm.VmDescription;
import dev.caravan.api.vm.VmRef;
import dev.caravan.api.vm.VmState;
import dev.caravan.camel.support.BadInput;
import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component on the real libvirt connector, found by its scheme on the class path, against libvirt's test
 * driver ({@code test:///file.xml}: a fresh in-memory host per file; no migration API). The target host has too
 * little free memory, so its preflight refuses live and cold moves: the exchange fails with USER_CONFIG and
 * nothing changes on either host.
 */
class VmOnLibvirtTestDriverTest {
    @TempDir
    Path tmp;
    private MigrationEngine engine;
    private CamelContext context;
    private ProducerTemplate template;
    private String source;
    private String target;

    @BeforeEach
    void start() throws IOException {
        source = "libvirt:" + host("src.xml", 8 << 20, domain("web", "01", 1024, 1), domain("db", "02", 256, 5),
                pool("aa", "web.qcow2", "db.qcow2"));
        target = "libvirt:" + host("dst.xml", 2 << 20, domain("other", "09", 1536, 1), pool("bb"));
        engine = MigrationEngine.open(EngineSettings.defaults().withHome(tmp.resolve("home")));
        context = new DefaultCamelContext();
        context.getComponent("caravan-vm", CaravanVmComponent.class).setEngine(engine);
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
        engine.close();
    }

    private String uri(String operation, String options) {
        return "caravan-vm:" + operation + "?source=RAW(" + source + ")&target=RAW(" + target + ")" + options;
    }

    @Test
    void listsDescribesAndPreflightsThroughTheConnectorFoundByScheme() {
        Exchange list = template.send(uri("list", "&state=running"), e -> { });
        Exchange web = template.send(uri("describe", "&domain=web"), e -> { });
        Exchange cold = template.send(uri("preflight", "&domain=web&kind=cold"), e -> { });

        assertThat(list.getException()).isNull();
        assertThat(list.getMessage().getBody(List.class)).extracting(o -> ((VmRef) o).name()).containsExactly("web");
        VmDescription d = web.getMessage().getBody(VmDescription.class);
        assertThat(d.memoryBytes()).isEqualTo(1024L << 20);
        assertThat(d.dataDisks()).singleElement().satisfies(disk -> {
            assertThat(disk.pool()).isEqualTo("a");
            assertThat(disk.volume()).isEqualTo("web.qcow2");
        });
        assertThat(cold.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<PreflightCheck> checks = cold.getMessage().getBody(List.class);
        assertThat(checks).filteredOn(c -> c.name().equals("memory")).singleElement()
                .extracting(PreflightCheck::status).isEqualTo(PreflightCheck.Status.FAIL);
        assertThat(cold.getMessage().getHeader(VmConstants.PREFLIGHT_PASSED)).isEqualTo(false);
        assertThat(cold.getMessage().getHeader(VmConstants.PREFLIGHT_FAILURES, String.class)).contains("memory");
    }

    @Test
    void aPreflightFailureRefusesColdAndLiveMovesBeforeAnythingChanges() {
        Exchange cold = template.send(uri("migrateCold", "&domain=web&force=true&shutdownTimeout=1s"), e -> { });
        Exchange live = template.send(uri("migrateLive", "&domain=web"), e -> { });

        for (Exchange refused : List.of(cold, live)) {
            assertThat(refused.getException()).isInstanceOfSatisfying(MigrationException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.USER_CONFIG);
                assertThat(e.getMessage()).contains("refused by preflight", "memory");
            });
            assertThat(BadInput.failedWith(refused)).isTrue();
        }
        Exchange after = template.send(uri("describe", "&domain=web"), e -> { });
        assertThat(after.getMessage().getBody(VmDescription.class).ref().state()).isEqualTo(VmState.RUNNING);
        Exchange onTarget = template.send("caravan-vm:list?source=RAW(" + target + ")", e -> { });
        assertThat(onTarget.getMessage().getBody(List.class)).extracting(o -> ((VmRef) o).name())
                .containsExactly("other");
        assertThat(engine.journal().runs(10)).hasSize(2)
                .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(RunOutcome.ABORTED))
                .extracting(r -> r.description().substring(0, 7)).containsExactlyInAnyOrder("vm-cold", "vm-live");
    }

    private String host(String file, long memoryKib, String... parts) throws IOException {
        StringBuilder b = new StringBuilder("<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>2</cores>"
                + "<threads>1</threads><mhz>2000</mhz><model>i686</model><active>2</active></cpu><memory>"
                + memoryKib + "</memory>");
        for (String p : parts) {
            b.append(p);
        }
        Path f = Files.writeString(tmp.resolve(file), b.append("</node>").toString());
        return "test://" + f.toAbsolutePath();
    }

    /** A 'test' domain with one qcow2 disk in pool 'a'; runstate 1 running, 5 shut off. */
    private static String domain(String name, String id, int memoryMib, int runstate) {
        return "<domain type='test'><name>" + name + "</name><uuid>11111111-2222-3333-4444-5555555555" + id
                + "</uuid><memory unit='MiB'>" + memoryMib + "</memory><vcpu>1</vcpu><os><type arch='i686'>hvm"
                + "</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                + "<source file='/pools/a/" + name + ".qcow2'/><target dev='vda' bus='virtio'/></disk></devices>"
                + "<test:runstate xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>" + runstate
                + "</test:runstate></domain>";
    }

    /** Pool 'a' at /pools/a with 64 MiB volumes. */
    private static String pool(String id, String... volumes) {
        StringBuilder b = new StringBuilder("<pool type='dir'><name>a</name><uuid>11111111-2222-3333-4444-5555555555"
                + id + "</uuid><target><path>/pools/a</path></target>");
        for (String v : volumes) {
            b.append("<volume><name>").append(v).append("</name><capacity unit='MiB'>64</capacity><allocation"
                    + " unit='MiB'>64</allocation><target><format type='qcow2'/></target></volume>");
        }
        return b.append("</pool>").toString();
    }
}
