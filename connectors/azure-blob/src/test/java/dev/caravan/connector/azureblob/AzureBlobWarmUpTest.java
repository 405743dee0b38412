package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The warm-up sets the SDK up without sending anything. */
class AzureBlobWarmUpTest {
    @Test
    void warmUpBuildsTheClientsWithoutConnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AzureBlobStoreProvider.warmUp("http://127.0.0.1:" + server.getLocalPort() + "/warmup");
            server.setSoTimeout(300);
            assertThatThrownBy(server::accept).as("no connection from the warm-up")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }
}
