package dev.caravan.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class ConnectorRegistryTest {
    @Test
    void theApplicationsConnectorsAreFoundOncePerProcess() {
        ConnectorRegistry first = ConnectorRegistry.load();

        assertThat(ConnectorRegistry.load()).isSameAs(first);
        assertThat(first.find("mem")).as("the test connector on the class path").isPresent();
    }

    @Test
    void anotherContextClassLoaderIsScannedAfresh() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader other = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            thread.setContextClassLoader(other);
            ConnectorRegistry seen = ConnectorRegistry.load();

            assertThat(seen).isNotSameAs(ConnectorRegistry.load());
            assertThat(seen.find("mem")).isPresent();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void anUnknownSchemeNamesTheKnownOnes() {
        assertThatThrownBy(() -> ConnectorRegistry.load().require("nope"))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("unknown connector 'nope'")
                .hasMessageContaining("mem");
    }
}
