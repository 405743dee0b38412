package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;

import dev.caravan.api.vm.Hypervisor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Set-up of the tests that move guests between the two test hosts: the guests a test names are removed from both
 * hosts before and after it, and a connection to each host ({@link #a}, {@link #b}) is open during it. The guests are
 * destroyed before the connections close, which ends any job still running, so closing cannot block on it.
 */
abstract class TestHostsFixture {
    Hypervisor a;
    Hypervisor b;
    private final List<String> guests;

    TestHostsFixture(String... guests) {
        this.guests = List.of(guests);
    }

    @BeforeEach
    final void openHosts() {
        guests.forEach(LibvirtTestHosts::cleanup);
        a = LibvirtTestHosts.open(A);
        b = LibvirtTestHosts.open(B);
    }

    @AfterEach
    final void closeHosts() {
        guests.forEach(LibvirtTestHosts::cleanup);
        a.close();
        b.close();
    }
}
