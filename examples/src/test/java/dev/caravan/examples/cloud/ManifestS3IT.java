package dev.caravan.examples.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code caravan manifest} on S3Proxy: the manifest of a bucket Caravan copied into is written without reading one
 * object (the SHA-256 of each comes from the {@code caravan-sha256} metadata of the verified copy, through HEAD
 * requests), and an object overwritten outside Caravan afterwards is found, with {@code --deep} and without it (its
 * ETag changed, so the stored SHA-256, even when the overwrite kept the metadata, is not trusted and the object is
 * read).
 */
class ManifestS3IT {
    private static S3Client s3;
    private static final List<String> BUCKETS = new ArrayList<>();

    @TempDir
    Path home;
    @TempDir
    Path work;

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void client() {
        s3 = CloudServers.s3();
    }

    @AfterAll
    static void cleanUp() {
        BUCKETS.forEach(b -> CloudServers.deleteBucket(s3, b));
        s3.close();
    }

    @Test
    void aCopiedBucketsManifestNeedsNoReadsAndAnOverwriteOutsideCaravanIsFound() throws IOException {
        Path source = work.resolve("source");
        Files.createDirectories(source.resolve("docs"));
        for (String name : List.of("a.bin", "docs/b.bin", "docs/c.bin", "docs/d.bin")) {
            Files.write(source.resolve(name), randomBytes(2000));
        }
        String bucket = CloudServers.freshName("manifest");
        BUCKETS.add(bucket);
        String target = "s3:" + bucket + "/moved";
        Map<String, String> options = CloudServers.s3Options(CloudServers.S3_ENDPOINT, "createBucket", "true");
        Result copied = caravan(with(List.of("copy", "local:" + source, target), "--target-option", options));
        assertThat(copied.code()).as(copied.toString()).isZero();

        Path manifest = work.resolve("moved.manifest");
        String keys = work.resolve("keys").toString();
        assertThat(caravan(List.of("manifest", "keygen", keys)).code()).isZero();
        Result written = caravan(with(List.of("manifest", "write", target, manifest.toString(), "--sign",
                keys + ".key"), "--source-option", options));
        assertThat(written.code()).as(written.toString()).isZero();
        assertThat(written.out()).as("every SHA-256 came from the copy's stored digest").contains("4 objects")
                .contains("; 0 read to hash them");
        assertThat(Files.readString(manifest)).doesNotContain(CloudServers.S3_SECRET_KEY)
                .contains("\"location\":\"s3:" + bucket + "/moved");

        Result clean = check(manifest, target, options, keys, false);
        assertThat(clean.code()).as(clean.toString()).isZero();
        assertThat(json(clean).get("objectsRead").asLong()).isZero();

        // overwritten outside Caravan: same size, other bytes, and the old caravan-sha256 metadata kept
        String key = "moved/docs/b.bin";
        Map<String, String> oldMetadata = s3.headObject(r -> r.bucket(bucket).key(key)).metadata();
        assertThat(oldMetadata).containsKey("caravan-sha256");
        s3.putObject(r -> r.bucket(bucket).key(key).metadata(oldMetadata), RequestBody.fromBytes(randomBytes(2000)));

        Result deep = check(manifest, target, options, keys, true);
        assertThat(deep.code()).as(deep.toString()).isEqualTo(Main.FAILED);
        JsonNode deepDoc = json(deep);
        assertThat(deepDoc.get("objectsRead").asLong()).isEqualTo(4);
        assertThat(deepDoc.get("problems")).singleElement().satisfies(p -> {
            assertThat(p.get("item").asText()).isEqualTo("docs/b.bin");
            assertThat(p.get("outcome").asText()).isEqualTo("differ");
        });

        Result quick = check(manifest, target, options, keys, false);
        assertThat(quick.code()).as("without --deep: the ETag changed, so the stale stored SHA-256 is not trusted")
                .isEqualTo(Main.FAILED);
        JsonNode quickDoc = json(quick);
        assertThat(quickDoc.get("objectsRead").asLong()).as("only the rewritten object is read").isEqualTo(1);
        assertThat(quickDoc.get("problems")).singleElement()
                .satisfies(p -> assertThat(p.get("method").asText()).isEqualTo("sha256"));
    }

    private Result check(Path manifest, String target, Map<String, String> options, String keys, boolean deep) {
        List<String> args = new ArrayList<>(List.of("manifest", "check", manifest.toString(), target, "--json",
                "--verify-key", keys + ".pub"));
        if (deep) {
            args.add("--deep");
        }
        return caravan(with(args, "--target-option", options));
    }

    private static List<String> with(List<String> args, String flag, Map<String, String> options) {
        List<String> all = new ArrayList<>(args);
        all.addAll(CloudServers.cliOptions(flag, options));
        return all;
    }

    private static JsonNode json(Result r) throws IOException {
        return new ObjectMapper().readTree(r.out());
    }

    private Result caravan(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--home", home.toString(), "--no-progress"), args.stream())
                .toArray(String[]::new);
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(code, out.toString(), err.toString());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
