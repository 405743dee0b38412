package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients kept between stores (no request is sent: nothing listens at the endpoint). */
class S3ClientPoolTest {
    @BeforeEach
    @AfterEach
    void noIdleClients() {
        S3ClientPool.closeIdle();
    }

    private static S3Settings settings(String... pairs) {
        Map<String, String> options = new HashMap<>(Map.of("endpoint", "http://127.0.0.1:9", "accessKeyId", "id",
                "secretAccessKey", "secret"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                options.remove(pairs[i]);
            } else {
                options.put(pairs[i], pairs[i + 1]);
            }
        }
        return S3Settings.from(new S3StoreProvider().options().resolve(options));
    }

    @Test
    void theNextStoreWithTheSameSettingsGetsTheClientTheLastOneGaveBack() {
        S3ClientPool.Lease first = S3ClientPool.acquire(settings());
        var client = first.handle().client();
        first.close();
        assertThat(S3ClientPool.idleCount()).isEqualTo(1);

        // a store of another bucket or with other store options (not client settings) takes it too
        try (S3ClientPool.Lease next = S3ClientPool.acquire(settings("createBucket", "true", "partSize", "16MiB"))) {
            assertThat(next.handle().client()).isSameAs(client);
            assertThat(S3ClientPool.idleCount()).isZero();
        }
    }

    @Test
    void storesOpenAtTheSameTimeHaveAClientEach() {
        try (S3ClientPool.Lease a = S3ClientPool.acquire(settings());
                S3ClientPool.Lease b = S3ClientPool.acquire(settings())) {
            assertThat(a.handle().client()).isNotSameAs(b.handle().client());
        }
        assertThat(S3ClientPool.idleCount()).isEqualTo(2);
    }

    @Test
    void otherClientSettingsGetAnotherClient() {
        S3ClientPool.Lease first = S3ClientPool.acquire(settings());
        var client = first.handle().client();
        first.close();

        for (String[] other : new String[][] {{"secretAccessKey", "other"}, {"endpoint", "http://127.0.0.1:10"},
                {"region", "eu-west-1"}, {"maxConnections", "8"}, {"pathStyle", "true"}}) {
            try (S3ClientPool.Lease lease = S3ClientPool.acquire(settings(other))) {
                assertThat(lease.handle().client()).as(other[0]).isNotSameAs(client);
            }
        }
    }

    @Test
    void aClientWithoutExplicitKeysIsClosedWithItsStore() {
        S3Settings fromChain = settings("accessKeyId", null, "secretAccessKey", null);
        S3ClientPool.Lease lease = S3ClientPool.acquire(fromChain);
        var client = lease.handle().client();

        lease.close();

        assertThat(S3ClientPool.idleCount()).isZero();
        try (S3ClientPool.Lease next = S3ClientPool.acquire(fromChain)) {
            assertThat(next.handle().client()).isNotSameAs(client);
        }
    }

    @Test
    void givingBackTwiceKeepsOneIdleClient() {
        S3ClientPool.Lease lease = S3ClientPool.acquire(settings());
        lease.close();
        lease.close();

        assertThat(S3ClientPool.idleCount()).isEqualTo(1);
    }

    @Test
    void whetherTheServerHasTaggingIsRememberedPerClientSettings() {
        try (S3ClientPool.Lease lease = S3ClientPool.acquire(settings("endpoint", "http://127.0.0.1:11"))) {
            assertThat(lease.knownTagging()).isNull();
            lease.rememberTagging(false);
        }
        try (S3ClientPool.Lease same = S3ClientPool.acquire(settings("endpoint", "http://127.0.0.1:11"));
                S3ClientPool.Lease other = S3ClientPool.acquire(settings("endpoint", "http://127.0.0.1:12"))) {
            assertThat(same.knownTagging()).isFalse();
            assertThat(other.knownTagging()).isNull();
        }
    }
}
