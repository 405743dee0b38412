package dev.caravan.connector.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import dev.caravan.api.vm.HypervisorProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declared options, secrets, URI building, ServiceLoader registration, and the pool store on the test driver. */
class LibvirtProvidersTest {
    @TempDir
    Path tmp;

    @Test
    void bothSchemesAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(HypervisorProvider.class).stream().map(p -> p.get().scheme()))
                .contains("libvirt");
        assertThat(ServiceLoader.load(StoreProvider.class).stream().map(p -> p.get().scheme()))
                .contains("libvirt-pool");
    }

    @Test
    void optionsAreDeclaredWithDescriptionsAndThePasswordIsSecret() {
        LibvirtHypervisorProvider p = new LibvirtHypervisorProvider();
        assertThat(p.options().list()).allSatisfy(o -> assertThat(o.description()).isNotBlank());
        assertThat(p.options().find("password")).get().extracting(OptionDef::secret).isEqualTo(true);
        Config c = p.options().resolve(Map.of("username", "ops", "password", "hunter2"));
        assertThat(c.masked()).containsEntry("password", "****").containsEntry("username", "ops");
        assertThat(c.toString()).doesNotContain("hunter2");
        assertThat(new LibvirtPoolStoreProvider().options().find("pool")).get().extracting(OptionDef::required)
                .isEqualTo(true);
    }

    /** A daemon that is not running, or a wrong URI: bad input (exit code 2), not a failure worth retrying (1). */
    @Test
    void aUriWhereNoDaemonAnswersIsBadInputNamingTheUri() {
        String uri = "qemu+unix:///system?socket=" + tmp.resolve("no-daemon/libvirt-sock");
        Config none = new LibvirtHypervisorProvider().options().resolve(Map.of());

        assertThatThrownBy(() -> LibvirtOptions.connect(uri, none)).isInstanceOfSatisfying(MigrationException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(dev.caravan.api.error.ErrorKind.USER_CONFIG);
                    assertThat(e.getMessage()).startsWith("connecting to " + uri + ": ")
                            .endsWith("(is libvirtd running there and reachable, and is this its URI?)");
                });
    }

    @Test
    void tlsAndSshSettingsBecomeUriParametersButCredentialsDoNot() {
        Config c = new LibvirtHypervisorProvider().options().resolve(Map.of("username", "ops", "password", "pw",
                "pkiPath", "/etc/caravan/pki", "tlsVerify", "false", "sshKeyFile", "/k/id"));

        assertThat(LibvirtOptions.effectiveUri("qemu+ssh://host-b/system", c))
                .isEqualTo("qemu+ssh://ops@host-b/system?pkipath=/etc/caravan/pki&no_verify=1&keyfile=/k/id");
        assertThat(LibvirtOptions.effectiveUri("qemu+tls://b/system?x=1", c)).startsWith("qemu+tls://b/system?x=1&")
                .doesNotContain("pw").doesNotContain("ops@");
        assertThatThrownBy(() -> LibvirtOptions.effectiveUri("nocolon", c)).isInstanceOf(MigrationException.class);
    }

    @Test
    void poolStoreListsStatsAndDeletesVolumesOnTheTestDriver() {
        String uri = TestDriverHosts.host(tmp, "h.xml", 4 << 20,
                TestDriverHosts.pool("images", "aa", "/pools/images", "b.qcow2:2", "a.qcow2:1"));
        LibvirtPoolStoreProvider p = new LibvirtPoolStoreProvider();
        try (ObjectStore s = p.open(uri, p.options().resolve(Map.of("pool", "images")))) {
            assertThat(s.list("").map(ObjectInfo::key)).containsExactly("a.qcow2", "b.qcow2");
            assertThat(s.stat("b.qcow2")).get().extracting(ObjectInfo::size).isEqualTo(2L << 20);
            assertThat(s.stat("missing")).isEmpty();
            assertThat(s.freeSpace()).get().matches(v -> v > 0);
            s.delete("a.qcow2");
            s.delete("a.qcow2");
            assertThat(s.list("").map(ObjectInfo::key)).containsExactly("b.qcow2");
            assertThat(s.features().atomicPut()).isTrue();
        }
        assertThatThrownBy(() -> p.open(uri, p.options().resolve(Map.of("pool", "nope"))))
                .isInstanceOf(MigrationException.class).hasMessageContaining("nope");
    }
}
