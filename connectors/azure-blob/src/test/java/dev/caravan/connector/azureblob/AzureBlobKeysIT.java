package dev.caravan.connector.azureblob;

import static dev.caravan.testkit.contract.ContractSupport.assertFailsWith;
import static dev.caravan.testkit.contract.ContractSupport.assertSameBytes;
import static dev.caravan.testkit.contract.ContractSupport.keys;
import static dev.caravan.testkit.contract.ContractSupport.read;
import static dev.caravan.testkit.contract.ContractSupport.sorted;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys the contract has few of, against Azurite: spaces, {@code +}, {@code %}, Unicode (also above U+FFFF, which
 * Azurite lists in another order than Caravan), names at Azure's length limit, deep prefixes and empty blobs; read
 * back byte for byte, listed in code-point order over many small pages, and stored under exactly these names.
 */
class AzureBlobKeysIT {
    private static final String ROOT = "r\u00f6\u00f6t/";
    private BlobContainerClient container;
    private AzureBlobObjectStore store;

    @BeforeEach
    void open() {
        container = Azurite.newContainer("keys");
        store = Azurite.open(container.getBlobContainerName() + "/" + ROOT, Azurite.options("listPageSize", "7"));
    }

    @AfterEach
    void close() {
        store.close();
        Azurite.deleteQuietly(container);
    }

    private void write(String key, byte[] data) {
        ObjectInfo info = store.put(key, new ByteArrayInputStream(data), PutRequest.ofSize(data.length));
        assertThat(info.size()).isEqualTo(data.length);
    }

    @Test
    void oddKeysRoundTripAndListInCodePointOrderOverManyPages() {
        List<String> keys = new ArrayList<>(List.of("with space/file name.txt", " leading space", "trailing space ",
                "a+b", "a b", "a%20b", "100%", "%", "%2F%2e%2E", "plus+and&amp=x?y#z", "semi;colon,comma'quote\"",
                "\u00e9t\u00e9/\u00fcber", "\u4e2d\u6587/\u6587\u4ef6.txt", "\u0430\u0431\u0432", "\uFF21-fullwidth",
                "\uE000-private", "\uFFFD-replacement", "\uD83D\uDE00.bin", "\uD83D\uDE00/\uFF21", "\uD83D\uDE00/\uD83D\uDE01",
                "\uD83D\uDE00/a", "x\uD83D\uDE00", "x\uFFFD", "x\uE000z", "x", "x/\uD800\uDC00/\uFFFD/\uD83D\uDE00",
                "x/\uD800\uDC00/\uFFFD/\uE000", "x/\uD800\uDC00/\uD800\uDC00", "~tilde", "!bang", "(paren)",
                "UPPER/lower", "upper/LOWER"));
        for (int i = 0; i < 20; i++) {
            keys.add("many/" + (char) ('a' + i) + (i % 3 == 0 ? "\uD83D\uDE00" : i % 3 == 1 ? "\uFFFD" : ""));
        }
        for (String key : keys) {
            write(key, key.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(keys(store, "")).containsExactlyElementsOf(sorted(keys));
        for (String key : keys) {
            assertSameBytes(read(store, key, ByteRange.ALL), key.getBytes(StandardCharsets.UTF_8), key);
            assertThat(store.stat(key)).as(key).map(ObjectInfo::size).contains((long) key.getBytes(
                    StandardCharsets.UTF_8).length);
        }
        for (String prefix : new String[] {"x", "x/", "\uD83D\uDE00", "many/", "a", "%", "\u00e9"}) {
            assertThat(keys(store, prefix)).as("prefix %s", prefix)
                    .containsExactlyElementsOf(sorted(keys.stream().filter(k -> k.startsWith(prefix)).toList()));
        }
        List<String> names = new ArrayList<>();
        for (BlobItem item : container.listBlobs()) {
            names.add(item.getName());
        }
        assertThat(names).as("blob names on the server are the keys under the root, unescaped")
                .containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> ROOT + k).toList());
        List<String> utf16 = new ArrayList<>(names);
        utf16.sort(java.util.Comparator.naturalOrder());
        List<String> codePoints = sorted(names);
        assertThat(utf16).as("these keys tell the two orders apart").isNotEqualTo(codePoints);
        assertThat(names).as("the server lists by UTF-16 code units (Azurite 3.37, measured) or by code points")
                .satisfiesAnyOf(n -> assertThat(n).isEqualTo(utf16), n -> assertThat(n).isEqualTo(codePoints));
    }

    @Test
    void namesUpToAzuresLimit() {
        String longest = "d/".repeat(100) + "n".repeat(AzureBlobObjectStore.MAX_NAME_LENGTH - ROOT.length() - 200);
        assertThat((ROOT + longest).length()).isEqualTo(1024);
        write(longest, new byte[] {1, 2, 3});
        assertSameBytes(read(store, longest, ByteRange.ALL), new byte[] {1, 2, 3}, "longest");
        assertThat(keys(store, "d/")).containsExactly(longest);
        String tooLong = longest + "x";
        assertThat(assertFailsWith(ErrorKind.USER_DATA, "1025-character name",
                () -> store.put(tooLong, new ByteArrayInputStream(new byte[1]), PutRequest.ofSize(1))).getMessage())
                .contains("1024");
        assertFailsWith(ErrorKind.USER_DATA, "stat of a 1025-character name", () -> store.stat(tooLong));
    }

    @Test
    void namesAzureWouldChangeOrRefuseAreRefusedBeforeAnyRequest() {
        // Azurite stores all of them as given (and a control character other than tab, LF and CR makes every later
        // listing of the container fail with 500); Azure drops the dots and refuses control characters
        for (String key : List.of("notes/draft.", "v1./a.txt", "a\\b", "tab\there", "ctl\u0001x", "del\u007f")) {
            MigrationException refused = assertFailsWith(ErrorKind.USER_DATA, key,
                    () -> store.put(key, new ByteArrayInputStream(new byte[1]), PutRequest.ofSize(1)));
            assertThat(refused.getMessage()).as(key).contains("refusing key").contains("Azure Blob Storage");
            assertThat(store.keyProblem(key)).as(key).isNotNull();
        }
        assertThat(keys(store, "")).as("nothing was written").isEmpty();
    }

    @Test
    void deepPrefixesAndEmptyBlobs() {
        StringBuilder deep = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (int level = 0; level < 60; level++) {
            deep.append("l").append(level).append('/');
            if (level % 10 == 9) {
                keys.add(deep + "leaf");
                keys.add(deep + "empty");
            }
        }
        for (String key : keys) {
            write(key, key.endsWith("empty") ? new byte[0] : key.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(keys(store, "")).containsExactlyElementsOf(sorted(keys));
        assertThat(keys(store, "l0/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/")).hasSize(keys.size() - 2);
        for (String key : keys) {
            byte[] expected = key.endsWith("empty") ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
            assertSameBytes(read(store, key, ByteRange.ALL), expected, key);
            assertSameBytes(read(store, key, ByteRange.from(0)), expected, key + " from 0");
            assertSameBytes(read(store, key, new ByteRange(0, 10)), java.util.Arrays.copyOf(expected,
                    Math.min(10, expected.length)), key + " first 10");
        }
        try (Stream<ObjectInfo> listing = store.list("")) {
            assertThat(listing.filter(i -> i.key().endsWith("empty"))).allMatch(i -> i.size() == 0).hasSize(6);
        }
        ObjectInfo empty = store.stat(keys.get(1)).orElseThrow();
        assertThat(empty.size()).isZero();
        assertThat(empty.hashes()).as("an empty single-shot blob has the service's MD5 of nothing")
                .containsEntry(dev.caravan.api.store.HashType.MD5, "d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void aLocationNamingABlobSaysSo() {
        write("reports/q1.pdf", new byte[] {1});
        String base = container.getBlobContainerName() + "/" + ROOT;
        try (var blob = Azurite.open(base + "reports/q1.pdf", Azurite.options());
                var folder = Azurite.open(base + "reports", Azurite.options());
                var missing = Azurite.open(base + "reports/q1", Azurite.options())) {
            assertThat(keys(blob, "")).isEmpty();
            assertThat(blob.rootIsAnObject()).isTrue();
            assertThat(folder.rootIsAnObject()).isFalse();
            assertThat(missing.rootIsAnObject()).isFalse();
        }
    }

    @Test
    void folderMarkersAreNotObjectsAndNamesNoKeyCanHoldAreListedForTheCopyToRefuseVisibly() {
        container.getBlobClient(ROOT + "folder/").upload(com.azure.core.util.BinaryData.fromBytes(new byte[0]));
        container.getBlobClient(ROOT + "a//b").upload(com.azure.core.util.BinaryData.fromString("x"));
        container.getBlobClient(ROOT + "c/./d").upload(com.azure.core.util.BinaryData.fromString("x"));
        container.getBlobClient(ROOT + "full/").upload(com.azure.core.util.BinaryData.fromString("bytes"));
        write("folder/file", new byte[] {1});
        // a directory of a hierarchical-namespace account is no object; a blob so marked that holds data is one
        container.getBlobClient(ROOT + "hns-dir").upload(com.azure.core.util.BinaryData.fromBytes(new byte[0]));
        container.getBlobClient(ROOT + "hns-dir").setMetadata(Map.of("hdi_isfolder", "true"));
        container.getBlobClient(ROOT + "marked").upload(com.azure.core.util.BinaryData.fromString("7 bytes"));
        container.getBlobClient(ROOT + "marked").setMetadata(Map.of("hdi_isfolder", "true"));
        // listed, not left out unseen: the copy of each fails with the reason (examples' CloudMetadataIT)
        assertThat(keys(store, "")).containsExactly("a//b", "c/./d", "folder/file", "full/", "marked");
        assertThat(store.stat("folder")).isEmpty();
        for (String foreign : new String[] {"a//b", "c/./d", "full/"}) {
            assertFailsWith(ErrorKind.USER_DATA, "stat('" + foreign + "')", () -> store.stat(foreign));
        }
    }
}
