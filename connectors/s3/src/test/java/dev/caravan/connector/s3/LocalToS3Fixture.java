package dev.caravan.connector.s3;

import static dev.caravan.testkit.contract.ContractSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.core.engine.EngineSettings;
import dev.caravan.core.engine.MigrationEngine;
import dev.caravan.core.plan.MigrationSpec;
import dev.caravan.testkit.http.FaultyProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Set-up and checks of the tests that copy a local directory of files into a new S3Proxy bucket through a
 * {@link FaultyProxy}: the files (file {@code i} holds {@code baseSize + 100 * i} random bytes), an engine with a
 * journal of its own, the bucket deleted afterwards, and a byte-for-byte check of every object.
 */
abstract class LocalToS3Fixture {
    @TempDir
    Path home;
    @TempDir
    Path data;

    final int files;
    final String bucket;
    S3Client raw;
    private final int baseSize;

    LocalToS3Fixture(String purpose, int files, int baseSize) {
        this.bucket = S3It.newBucket(purpose);
        this.files = files;
        this.baseSize = baseSize;
    }

    @BeforeEach
    void writeFiles() throws IOException {
        raw = S3It.rawClient();
        for (int i = 0; i < files; i++) {
            Files.write(data.resolve(key(i)), randomBytes(baseSize + i * 100, i));
        }
    }

    @AfterEach
    void deleteBucket() {
        S3It.deleteBucket(raw, bucket);
        raw.close();
    }

    MigrationEngine engine() {
        return MigrationEngine.open(EngineSettings.defaults().withHome(home)
                .withJournalUrl("jdbc:h2:file:" + home.resolve("journal")));
    }

    /** The copy of the directory into the bucket through {@code wire}, with more S3 options (name, value, ...). */
    MigrationSpec spec(FaultyProxy wire, String... options) {
        String[] all = new String[options.length + 2];
        all[0] = "endpoint";
        all[1] = wire.endpoint();
        System.arraycopy(options, 0, all, 2, options.length);
        return MigrationSpec.builder("local:" + data, "s3:" + bucket).targetOptions(S3It.options(all)).build();
    }

    /** The bucket holds every file, byte for byte, and nothing else. */
    void assertAllCopied() throws IOException {
        assertThat(S3It.allKeys(raw, bucket)).hasSize(files);
        for (int i = 0; i < files; i++) {
            String key = key(i);
            assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).as(key)
                    .isEqualTo(Files.readAllBytes(data.resolve(key)));
        }
    }

    private static String key(int i) {
        return "f" + i + ".bin";
    }
}
