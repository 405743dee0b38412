package dev.caravan.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One server however a location writes it: the overlap check must not be fooled by an alias. */
class ServerIdentityTest {
    @Test
    void everyNameAndAddressOfThisMachineIsOne() {
        assertThat(ServerIdentity.host("localhost")).isEqualTo(ServerIdentity.THIS_MACHINE);
        assertThat(ServerIdentity.host("LOCALHOST")).isEqualTo(ServerIdentity.THIS_MACHINE);
        assertThat(ServerIdentity.host("127.0.0.1")).isEqualTo(ServerIdentity.THIS_MACHINE);
        assertThat(ServerIdentity.host("127.0.0.2")).isEqualTo(ServerIdentity.THIS_MACHINE);
        assertThat(ServerIdentity.host("[::1]")).isEqualTo(ServerIdentity.THIS_MACHINE);
        assertThat(ServerIdentity.host("0.0.0.0")).isEqualTo(ServerIdentity.THIS_MACHINE);
    }

    @Test
    void anotherServerIsItsAddress() {
        assertThat(ServerIdentity.host("192.0.2.7")).isEqualTo("192.0.2.7"); // TEST-NET-1: never this machine's
        assertThat(ServerIdentity.host("192.0.2.8")).isNotEqualTo(ServerIdentity.host("192.0.2.7"));
    }

    @Test
    void endpointsAreComparedByServerPortAndPath() {
        String plain = ServerIdentity.endpoint("http://127.0.0.1:18080");
        assertThat(plain).isEqualTo("http://" + ServerIdentity.THIS_MACHINE + ":18080");
        assertThat(ServerIdentity.endpoint("HTTP://localhost:18080/")).isEqualTo(plain);
        assertThat(ServerIdentity.endpoint("http://[::1]:18080//")).isEqualTo(plain);
        assertThat(ServerIdentity.endpoint("http://127.0.0.1:18081")).as("another port").isNotEqualTo(plain);
        assertThat(ServerIdentity.endpoint("https://127.0.0.1:18080")).as("another scheme").isNotEqualTo(plain);
        assertThat(ServerIdentity.endpoint("http://192.0.2.7")).isEqualTo("http://192.0.2.7:80");
        assertThat(ServerIdentity.endpoint("https://192.0.2.7/s3/")).isEqualTo("https://192.0.2.7:443/s3");
        assertThat(ServerIdentity.endpoint("not a url")).isEqualTo("not a url");
    }
}
