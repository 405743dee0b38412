package dev.caravan.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.core.hash.HashingInputStream;
import dev.caravan.core.hash.StoredSha256;
import dev.caravan.core.testing.MemoryStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    private static final ManifestMaker.Options WRITE = new ManifestMaker.Options(3, false, "caravan test");
    private static final ManifestChecker.Options CHECK = new ManifestChecker.Options(3, false, 100);
    private static final ManifestChecker.Options DEEP = new ManifestChecker.Options(3, true, 100);

    @TempDir
    Path dir;
    Path file;
    MemoryStore store;

    @BeforeEach
    void fill() {
        MemoryStore.reset();
        store = MemoryStore.named("data");
        for (int i = 0; i < 25; i++) {
            store.add("dir/obj-" + i, randomBytes(100 + i), Instant.ofEpochSecond(1_700_000_000L + i));
        }
        file = dir.resolve("data.manifest");
    }

    @Test
    void aStoreMatchesItsOwnManifest() throws IOException {
        ManifestMaker.Summary written = ManifestMaker.write(store, file, WRITE);

        assertThat(written.footer().objects()).isEqualTo(25);
        assertThat(written.objectsRead()).isEqualTo(25); // no stored digests: every object is read
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(27);
        assertThat(lines.get(0)).contains("\"caravanManifest\":1").contains("mem:data").contains("caravan test");
        assertThat(lines.get(1)).contains("\"key\":\"dir/obj-0\"").contains(sha256(store.bytes("dir/obj-0")))
                .contains("\"modified\":\"2023-11-14T22:13:20Z\"");
        ManifestChecker.Result result = ManifestChecker.check(file, store, CHECK);
        assertThat(result.clean()).isTrue();
        assertThat(result.report().count(VerificationOutcome.MATCH)).isEqualTo(25);
    }

    @Test
    void aChangedByteIsADifference() {
        ManifestMaker.write(store, file, WRITE);
        byte[] changed = store.bytes("dir/obj-7").clone();
        changed[42] ^= 1;
        store.add("dir/obj-7", changed, Instant.now());

        ManifestChecker.Result result = ManifestChecker.check(file, store, CHECK);

        assertThat(result.report().problems()).singleElement().satisfies(item -> {
            assertThat(item.item()).isEqualTo("dir/obj-7");
            assertThat(item.outcome()).isEqualTo(VerificationOutcome.DIFFER);
            assertThat(item.method()).isEqualTo("sha256");
        });
    }

    @Test
    void missingAndExtraObjectsAreNamed() {
        ManifestMaker.write(store, file, WRITE);
        store.objects().remove("dir/obj-3");
        store.add("dir/new", randomBytes(10), Instant.now());

        List<VerificationItem> problems = ManifestChecker.check(file, store, CHECK).report().problems();

        assertThat(problems).extracting(VerificationItem::item, VerificationItem::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("dir/new", VerificationOutcome.MISSING_ON_SOURCE),
                org.assertj.core.groups.Tuple.tuple("dir/obj-3", VerificationOutcome.MISSING_ON_TARGET));
    }

    @Test
    void anEditedLineIsTampering() throws IOException {
        ManifestMaker.write(store, file, WRITE);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        String honest = lines.get(5);
        lines.set(5, honest.replaceFirst("\"size\":(\\d+)", "\"size\":1$1"));
        assertThat(lines.get(5)).isNotEqualTo(honest);
        Files.write(file, lines);

        assertThatThrownBy(() -> ManifestChecker.check(file, store, CHECK)).isInstanceOf(MigrationException.class)
                .hasMessageContaining("changed after it was written").hasMessageContaining("chain digest")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
    }

    @Test
    void aTruncatedManifestIsTampering() throws IOException {
        ManifestMaker.write(store, file, WRITE);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 20)); // cut within the object lines: no final line

        assertThatThrownBy(() -> ManifestChecker.check(file, store, CHECK))
                .hasMessageContaining("truncated").hasMessageContaining("line 20")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
    }

    @Test
    void aDroppedObjectLineWithARecomputedChainStillDisagreesWithTheCount() throws IOException {
        ManifestMaker.write(store, file, WRITE);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.remove(3);
        Files.write(file, lines);

        assertThatThrownBy(() -> ManifestChecker.check(file, store, CHECK))
                .hasMessageContaining("changed after it was written");
    }

    @Test
    void storedDigestsAreTrustedWithoutReadingUnlessDeep() {
        MemoryStore.reset();
        store = MemoryStore.named("copied");
        for (int i = 0; i < 10; i++) {
            byte[] data = randomBytes(50);
            store.add("o" + i, data, Instant.EPOCH, withStoredSha256(sha256(data)));
        }

        ManifestMaker.Summary written = ManifestMaker.write(store, file, WRITE);
        assertThat(written.objectsRead()).isZero();
        assertThat(store.opens.get()).isZero();

        ManifestChecker.Result checked = ManifestChecker.check(file, store, CHECK);
        assertThat(checked.clean()).isTrue();
        assertThat(checked.objectsRead()).isZero();
        assertThat(store.opens.get()).isZero();

        ManifestChecker.Result deep = ManifestChecker.check(file, store, DEEP);
        assertThat(deep.clean()).isTrue();
        assertThat(deep.objectsRead()).isEqualTo(10);
        assertThat(store.opens.get()).isEqualTo(10);
        assertThat(ManifestMaker.write(store, file, new ManifestMaker.Options(2, true, "t")).objectsRead())
                .isEqualTo(10);
    }

    @Test
    void aStaleStoredDigestHidesAChangeOnlyDeepFinds() {
        MemoryStore.reset();
        store = MemoryStore.named("stale");
        byte[] data = randomBytes(64);
        PutRequest kept = withStoredSha256(sha256(data));
        store.add("a", data, Instant.EPOCH, kept);
        ManifestMaker.write(store, file, WRITE);
        byte[] rewritten = data.clone();
        rewritten[0] ^= 1;
        store.add("a", rewritten, Instant.EPOCH, kept); // a tool rewrote the bytes and kept the metadata

        assertThat(ManifestChecker.check(file, store, CHECK).clean()).isTrue();
        assertThat(ManifestChecker.check(file, store, DEEP).report().count(VerificationOutcome.DIFFER)).isEqualTo(1);
    }

    @Test
    void etagsDecideTrustOnlyWithinTheLocationTheManifestWasWrittenFrom() {
        MemoryStore.reset();
        MemoryStore plain = MemoryStore.named("source");
        byte[] data = randomBytes(64);
        plain.add("a", data, Instant.EPOCH, withStoredSha256(sha256(data)));
        ManifestMaker.write(withEtags(plain, "v1"), file, WRITE);

        MemoryStore rewritten = plain; // same location, rewritten with the old metadata kept: a new ETag
        byte[] other = data.clone();
        other[0] ^= 1;
        rewritten.add("a", other, Instant.EPOCH, withStoredSha256(sha256(data)));
        ManifestChecker.Result same = ManifestChecker.check(file, withEtags(rewritten, "v2"), CHECK);
        assertThat(same.report().count(VerificationOutcome.DIFFER)).as("new ETag: read").isEqualTo(1);

        MemoryStore target = MemoryStore.named("target"); // the copy elsewhere: its ETags are not the source's
        target.add("a", data, Instant.EPOCH, withStoredSha256(sha256(data)));
        ManifestChecker.Result elsewhere = ManifestChecker.check(file, withEtags(target, "t1"), CHECK);
        assertThat(elsewhere.clean()).isTrue();
        assertThat(elsewhere.objectsRead()).as("the target's stored digest is trusted").isZero();
    }

    /** The store with every object carrying the ETag {@code etag}. */
    private static dev.caravan.core.testing.ForwardingStore withEtags(MemoryStore store, String etag) {
        return new dev.caravan.core.testing.ForwardingStore(store) {
            @Override
            public java.util.stream.Stream<dev.caravan.api.store.ObjectInfo> list(String prefix) {
                return super.list(prefix).map(o -> new dev.caravan.api.store.ObjectInfo(o.key(), o.size(),
                        o.modTime(), o.hashes(), etag, o.contentType(), o.metadata(), o.posixMode()));
            }
        };
    }

    @Test
    void hostileKeysAreNeverLookedUpAndMalformedLinesAreNamedByLine() throws IOException {
        writeRaw(List.of(
                entryLine("../outside", "x".getBytes(StandardCharsets.UTF_8)),
                entryLine("/etc/passwd", "x".getBytes(StandardCharsets.UTF_8)),
                "{\"key\":\"broken\"}",
                entryLine("dir/obj-0", store.bytes("dir/obj-0"))));
        store.objects().keySet().removeIf(k -> !k.equals("dir/obj-0"));
        store.opens.set(0);

        List<VerificationItem> problems = ManifestChecker.check(file, store, CHECK).report().problems();

        assertThat(problems).extracting(VerificationItem::item).containsExactly("line 2", "line 3", "line 4");
        assertThat(problems).allSatisfy(p -> assertThat(p.outcome()).isEqualTo(VerificationOutcome.ERROR));
        assertThat(problems.get(0).detail()).contains("'../outside'").contains("escapes");
        assertThat(problems.get(1).detail()).contains("absolute");
        assertThat(problems.get(2).detail()).contains("\"size\"");
        assertThat(store.opens.get()).isEqualTo(1); // only the listed object dir/obj-0
    }

    @Test
    void anUnknownFormatVersionIsBadInput() throws IOException {
        Files.writeString(file, "{\"caravanManifest\":99,\"location\":\"mem:x\",\"created\":\"2024-01-01T00:00:00Z\"}\n");

        assertThatThrownBy(() -> ManifestChecker.check(file, store, CHECK))
                .hasMessageContaining("unknown manifest format version 99")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThatThrownBy(() -> ManifestChecker.check(dir.resolve("none"), store, CHECK))
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
    }

    @Test
    void signaturesProveTheFileAndTheKey() throws IOException {
        ManifestMaker.write(store, file, WRITE);
        Path[] mine = ManifestSignatures.generate(dir.resolve("mine").toString());
        Path[] other = ManifestSignatures.generate(dir.resolve("other").toString());
        assertThat(Files.getPosixFilePermissions(mine[0]))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(mine[0])).startsWith("-----BEGIN PRIVATE KEY-----");

        Path sig = ManifestSignatures.sign(file, mine[0]);
        assertThat(sig.getFileName().toString()).isEqualTo("data.manifest.sig");
        ManifestSignatures.verify(file, mine[1]); // passes

        assertThatThrownBy(() -> ManifestSignatures.verify(file, other[1]))
                .hasMessageContaining("does not match")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
        Files.writeString(file, Files.readString(file) + " ");
        assertThatThrownBy(() -> ManifestSignatures.verify(file, mine[1]))
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED);
        assertThatThrownBy(() -> ManifestSignatures.verify(file, mine[0])) // a private key given as the public one
                .hasMessageContaining("is not a PEM public key")
                .extracting(e -> ((MigrationException) e).kind()).isEqualTo(ErrorKind.USER_CONFIG);
        assertThatThrownBy(() -> ManifestSignatures.generate(dir.resolve("mine").toString()))
                .hasMessageContaining("exists already");
    }

    /** Writes a manifest with a valid chain around the given object lines (as a hostile writer could). */
    private void writeRaw(List<String> objectLines) throws IOException {
        java.security.MessageDigest chain = Sha256.newDigest();
        StringBuilder text = new StringBuilder();
        text.append(ManifestLines.header(new ManifestHeader(1, "mem:data", Instant.EPOCH, "evil"))).append('\n');
        long bytes = 0;
        for (String line : objectLines) {
            text.append(line).append('\n');
        }
        chain.update(text.toString().getBytes(StandardCharsets.UTF_8));
        for (String line : objectLines) {
            try {
                bytes += ManifestLines.parseEntry(line).size();
            } catch (ManifestLines.MalformedLineException e) {
                // counted by the line only
            }
        }
        text.append(ManifestLines.footer(new ManifestFooter(objectLines.size(), bytes,
                java.util.HexFormat.of().formatHex(chain.digest())))).append('\n');
        Files.writeString(file, text);
    }

    private static String entryLine(String key, byte[] data) {
        return ManifestLines.entry(new ManifestEntry(key, data.length, sha256(data), null, null));
    }

    private static PutRequest withStoredSha256(String sha256) {
        return new PutRequest(-1, null, null, Map.of(StoredSha256.METADATA, sha256), -1);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static String sha256(byte[] data) {
        try {
            return HashingInputStream.sha256Of(new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
