package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Listings longer than a page (S3 answers 1,000 keys at a time; the next page is fetched while one is read): every
 * key once, in {@link ObjectKeys#ORDER}, one ListObjectsV2 per page, and a listing closed early leaves nothing
 * running that matters.
 */
class S3ListingIT {
    private static final int N = 2_345;

    private final String bucket = S3It.newBucket("listing");
    private S3Client raw;

    @BeforeEach
    void setUp() throws Exception {
        raw = S3It.rawClient();
        raw.createBucket(r -> r.bucket(bucket));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                String key = "p/" + (i % 7) + "/obj-" + i + (i % 100 == 0 ? "-ü+%" : "");
                puts.add(pool.submit(() -> raw.putObject(r -> r.bucket(bucket).key(key), RequestBody.empty())));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @AfterEach
    void tearDown() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    @Test
    void aListingOfSeveralPagesHasEveryKeyOnceInOrder() {
        S3ObjectStore store = S3It.open(bucket + "/p", "listMetadata", "false");
        try {
            RequestLog.clear();
            List<String> quick;
            try (Stream<ObjectInfo> s = store.listQuick("")) {
                quick = s.map(ObjectInfo::key).toList();
            }
            assertThat(quick).hasSize(N).doesNotHaveDuplicates().isSortedAccordingTo(ObjectKeys.ORDER);
            assertThat(RequestLog.all()).as("one ListObjectsV2 per page of 1,000")
                    .filteredOn(r -> r.equals("GET /" + bucket)).hasSize((N + 999) / 1000);
            try (Stream<ObjectInfo> s = store.list("")) {
                assertThat(s.map(ObjectInfo::key).toList()).isEqualTo(quick);
            }
            try (Stream<ObjectInfo> s = store.listQuick("")) { // closed after a few keys: the page ahead is dropped
                assertThat(s.limit(5).map(ObjectInfo::key).toList()).isEqualTo(quick.subList(0, 5));
            }
        } finally {
            store.close();
        }
    }
}
