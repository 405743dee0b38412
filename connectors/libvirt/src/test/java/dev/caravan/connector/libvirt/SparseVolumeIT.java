package dev.caravan.connector.libvirt;

import static dev.caravan.connector.libvirt.LibvirtTestHosts.A;
import static dev.caravan.connector.libvirt.LibvirtTestHosts.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.libvirt.Connect;

/**
 * Volume streams are sparse both ways: a mostly empty 48 MiB raw image goes A -> B through the pool stores (as a
 * cold migration copies it) with its exact bytes, while only its data is allocated on either host.
 */
class SparseVolumeIT {
    private static final String VOL = "cv-sparse.raw";
    private static final int SIZE = 48 << 20;
    private ObjectStore a;
    private ObjectStore b;

    @BeforeEach
    void setUp() {
        a = open(A);
        b = open(B);
        a.delete(VOL);
        b.delete(VOL);
    }

    @AfterEach
    void tearDown() {
        a.delete(VOL);
        b.delete(VOL);
        a.close();
        b.close();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void copiesHolesAsHolesAndBytesAsTheyAre() throws Exception {
        byte[] image = new byte[SIZE]; // zeros, with data at the start, in the middle (unaligned) and at the very end
        Random random = new Random(5);
        fill(random, image, 0, 3 << 20);
        fill(random, image, (20 << 20) + 4097, 100_000);
        fill(random, image, SIZE - 512, 512);
        a.put(VOL, new ByteArrayInputStream(image), PutRequest.ofSize(SIZE));

        try (InputStream in = a.open(VOL, ByteRange.ALL)) {
            b.put(VOL, in, PutRequest.ofSize(SIZE));
        }

        String expected = LibvirtTestHosts.sha256(new ByteArrayInputStream(image));
        try (InputStream back = b.open(VOL, ByteRange.ALL)) {
            assertThat(LibvirtTestHosts.sha256(back)).isEqualTo(expected);
        }
        try (InputStream middle = b.open(VOL, new ByteRange((20 << 20) + 4000, 200_000))) {
            byte[] got = middle.readAllBytes();
            assertThat(got).hasSize(200_000);
            assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(image, (20 << 20) + 4000, (20 << 20) + 204_000));
        }
        assertThat(b.stat(VOL)).get().extracting(o -> o.size()).isEqualTo((long) SIZE);
        for (String host : new String[] {A, B}) {
            long allocated = allocation(host);
            assertThat(allocated).as("bytes allocated on %s", host).isLessThan(8L << 20).isGreaterThan(3L << 20);
        }
    }

    private static void fill(Random random, byte[] image, int from, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        System.arraycopy(data, 0, image, from, length);
    }

    private static ObjectStore open(String uri) {
        return new LibvirtPoolStoreProvider().open(uri,
                new LibvirtPoolStoreProvider().options().resolve(Map.of("pool", "images")));
    }

    private static long allocation(String uri) throws Exception {
        Connect c = new Connect(uri);
        try {
            var pool = c.storagePoolLookupByName("images");
            pool.refresh(0);
            return pool.storageVolLookupByName(VOL).getInfo().allocation;
        } finally {
            c.close();
        }
    }
}
