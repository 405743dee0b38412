package dev.caravan.camel.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.camel.testing.Errors;
import dev.caravan.camel.testing.MemoryStoreProvider;
import dev.caravan.core.registry.ConnectorRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Endpoint creation: the component is found by its scheme, every option is checked, errors say what to change. */
class VmEndpointTest {
    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        CaravanVmComponent vm = context.getComponent("caravan-vm", CaravanVmComponent.class);
        vm.setRegistry(ConnectorRegistry.of(new FakeHypervisors(), new MemoryStoreProvider()));
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private String failure(String uri) {
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> context.getEndpoint(uri));
        return Errors.chain(t);
    }

    @Test
    void optionsAreBoundAsTextAndTheOperationIsThePath() {
        CaravanVmEndpoint ep = context.getEndpoint("caravan-vm:migrate-live?source=fakevm:a&target=fakevm:b"
                + "&domain=web&bandwidth=100M&maxDowntime=300ms&AUTOCONVERGE=true&source.label=x&target.token=s3cret",
                CaravanVmEndpoint.class);

        assertThat(ep.getOperation()).isEqualTo(VmOperation.MIGRATE_LIVE);
        VmConfiguration c = ep.getConfiguration();
        assertThat(c.get("source")).isEqualTo("fakevm:a");
        assertThat(c.get("bandwidth")).isEqualTo("100M");
        assertThat(c.get("autoConverge")).isEqualTo("true");
        assertThat(c.sourceOptions()).containsEntry("label", "x");
        assertThat(c.targetOptions()).containsEntry("token", "s3cret");
        var live = new VmSettings(c::get).live();
        assertThat(live.bandwidthBytesPerSec()).isEqualTo(100L << 20);
        assertThat(live.maxDowntime()).hasMillis(300);
        assertThat(live.autoConverge()).isTrue();
        assertThat(live.undefineSource()).isTrue();
        assertThat(CaravanVmComponent.optionNames()).contains("bandwidth", "maxDowntime", "source.*", "target.*",
                "shutdownTimeout", "destinationPool");
    }

    @Test
    void anUnknownOptionIsRefusedWithTheKnownOnes() {
        assertThat(failure("caravan-vm:migrateLive?source=fakevm:a&bandwith=10M"))
                .contains("unknown option 'bandwith'", "did you mean 'bandwidth'", "maxDowntime", "timeoutAction");
    }

    @Test
    void anUnknownOperationListsTheKnownOnes() {
        assertThat(failure("caravan-vm:teleport?source=fakevm:a"))
                .contains("unknown caravan-vm operation 'teleport'", "describe, list, preflight, migrateLive,"
                        + " migrateCold, moveStorage, abort");
    }

    @Test
    void malformedValuesAndRefusedCombinationsFailAtCreation() {
        assertThat(failure("caravan-vm:migrateLive?bandwidth=lots")).contains("option 'bandwidth'");
        assertThat(failure("caravan-vm:migrateLive?maxDowntime=soon")).contains("option 'maxDowntime'");
        assertThat(failure("caravan-vm:migrateLive?timeoutAction=later"))
                .contains("option 'timeoutAction'", "abort, suspend, postcopy");
        assertThat(failure("caravan-vm:migrateLive?timeoutAction=postcopy&completionTimeout=10m"))
                .contains("timeoutAction POSTCOPY needs postCopy=true");
        assertThat(failure("caravan-vm:migrateLive?tunnelled=true")).contains("tunnelled migration needs peerToPeer");
        assertThat(failure("caravan-vm:migrateCold?transfers=0")).contains("option 'transfers' must be at least 1");
        assertThat(failure("caravan-vm:list?state=sleeping")).contains("option 'state'", "shut-off");
        assertThat(failure("caravan-vm:migrateCold?force=maybe")).contains("option 'force'", "true or false");
        assertThat(failure("caravan-vm:moveStorage?destinationPath=/a&destinationPool=p"))
                .contains("exactly one of the options destinationPath", "both");
    }

    @Test
    void sourceAndTargetMustBeHypervisorsWithValidOptions() {
        assertThat(failure("caravan-vm:list?source=mem:bucket"))
                .contains("source 'mem:bucket'", "not a hypervisor", "hypervisor connectors: fakevm");
        assertThat(failure("caravan-vm:migrateLive?source=fakevm:a&target=nosuch:b")).contains("target 'nosuch:b'");
        assertThat(failure("caravan-vm:list?source=fakevm:a&source.colour=red")).contains("colour");
        assertThat(failure("caravan-vm:list?include=[a")).contains("option 'include': bad glob '[a'");
        // a blank connector option (an unset optional template parameter) counts as not set
        assertThat(context.getEndpoint("caravan-vm:list?source=fakevm:a&source.token=&source.label=")).isNotNull();
    }

    @Test
    void endpointsAreProducersOnly() {
        CaravanVmEndpoint ep = context.getEndpoint("caravan-vm:list?source=fakevm:a", CaravanVmEndpoint.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ep.createConsumer(e -> { }))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("caravan-vm:list");
    }
}
