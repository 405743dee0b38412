package dev.caravan.camel.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.verify.VerificationItem;
import dev.caravan.api.verify.VerificationOutcome;
import dev.caravan.camel.testing.MemoryStore;
import dev.caravan.camel.testing.MemoryStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectsProducerTest {
    private final String src = "p-src-" + UUID.randomUUID();
    private final String dst = "p-dst-" + UUID.randomUUID();
    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Exchange send(String uri, Object body, Map<String, Object> headers) {
        Exchange ex = template.request(uri, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeaders(new java.util.HashMap<>(headers));
        });
        if (ex.getException() != null) {
            throw new CamelExecutionException("failed", ex, ex.getException());
        }
        return ex;
    }

    @Test
    void putStatGetCopyVerifyDelete() throws Exception {
        String store = "caravan-objects:mem:" + src;
        Exchange put = send(store + "?operation=put", "hello world", Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        assertThat(put.getMessage().getBody(ObjectInfo.class).size()).isEqualTo(11);
        assertThat(put.getMessage().getHeader(ObjectsConstants.SHA256))
                .isEqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
        assertThat(MemoryStoreProvider.space(src).keys()).containsExactly("dir/a.txt"); // no temporary left
        assertThat(MemoryStoreProvider.space(src).putKeys()).singleElement().asString()
                .matches("dir/\\.a\\.txt\\.caravan-[0-9a-f]{12}\\.partial"); // core's temporary name, renamed

        Exchange stat = send(store + "?operation=stat&key=dir/a.txt", null, Map.of());
        assertThat(stat.getMessage().getHeader(ObjectsConstants.EXISTS)).isEqualTo(true);

        Exchange get = send(store + "?operation=get", null, Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        try (InputStream in = get.getMessage().getBody(InputStream.class)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        }

        Exchange copy = send(store + "?operation=copy&target=mem:" + dst, null,
                Map.of(ObjectsConstants.KEY, "dir/a.txt", ObjectsConstants.TARGET_KEY, "b.txt"));
        assertThat(copy.getMessage().getHeader(ObjectsConstants.COPY_METHOD)).isEqualTo("stream");
        assertThat(MemoryStoreProvider.space(dst).get("b.txt")).isEqualTo("hello world".getBytes());

        String verify = store + "?operation=verify&target=mem:" + dst + "&targetKey=b.txt";
        Exchange same = send(verify, null, Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        assertThat(same.getMessage().getBody(VerificationItem.class).outcome()).isEqualTo(VerificationOutcome.MATCH);

        MemoryStoreProvider.space(dst).put("b.txt", "hello World".getBytes(), Instant.now());
        Exchange differ = send(verify, null, Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        assertThat(differ.getMessage().getHeader(ObjectsConstants.VERIFICATION_OUTCOME)).isEqualTo("DIFFER");

        send(store + "?operation=delete", null, Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        Exchange gone = send(store + "?operation=stat", null, Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        assertThat(gone.getMessage().getHeader(ObjectsConstants.EXISTS)).isEqualTo(false);
        assertThat(gone.getMessage().getBody()).isNull();
        Exchange missing = send(verify, null, Map.of(ObjectsConstants.KEY, "dir/a.txt"));
        assertThat(missing.getMessage().getHeader(ObjectsConstants.VERIFICATION_OUTCOME))
                .isEqualTo("MISSING_ON_SOURCE");
    }

    @Test
    void putAcceptsBytesAndTheOperationHeader() {
        send("caravan-objects:mem:" + src, new byte[] {1, 2, 3},
                Map.of(ObjectsConstants.KEY, "x.bin", ObjectsConstants.OPERATION, "put"));
        assertThat(MemoryStoreProvider.space(src).get("x.bin")).containsExactly(1, 2, 3);
    }

    @Test
    void putAcceptsPathsAndStreamsAndTheTemporaryNameIsTheSameForTheSameKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n");
        Exchange fromFile = send("caravan-objects:mem:" + src + "?operation=put&key=in.csv", file, Map.of());
        assertThat(fromFile.getMessage().getBody(ObjectInfo.class).size()).isEqualTo(8);
        send("caravan-objects:mem:" + src + "?operation=put&key=in.csv",
                new ByteArrayInputStream("streamed".getBytes(StandardCharsets.UTF_8)), Map.of());
        assertThat(MemoryStoreProvider.space(src).get("in.csv")).isEqualTo("streamed".getBytes());
        List<String> writes = MemoryStoreProvider.space(src).putKeys();
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).isEqualTo(writes.get(1)).startsWith(".in.csv.caravan-");
    }

    @Test
    void aCorruptedCopyFailsVerificationAndLeavesNothingBehind() {
        MemoryStore.Data s = MemoryStoreProvider.space(src);
        s.put("a.txt", "payload".getBytes(), Instant.now());
        assertThatThrownBy(() -> send("caravan-objects:mem:" + src + "?operation=copy&target=mem:" + dst
                + "&target.corrupt=true", null, Map.of(ObjectsConstants.KEY, "a.txt")))
                .hasCauseInstanceOf(MigrationException.class)
                .cause().hasMessageContaining("a.txt: sha256 ")
                .satisfies(t -> assertThat(((MigrationException) t).kind()).isEqualTo(ErrorKind.VERIFICATION_FAILED));
        assertThat(MemoryStoreProvider.space(dst).keys()).isEmpty();
    }

    @Test
    void missingKeyAndTargetAreExplained() {
        assertThatThrownBy(() -> send("caravan-objects:mem:" + src + "?operation=stat", null, Map.of()))
                .cause().hasMessageContaining("no object key: set the header CamelCaravanObjectKey or the option key");
        MemoryStoreProvider.space(src).put("a", new byte[1], Instant.now());
        assertThatThrownBy(() -> send("caravan-objects:mem:" + src + "?operation=copy", null,
                Map.of(ObjectsConstants.KEY, "a")))
                .cause().hasMessageContaining("no target store: set the option target");
        assertThatThrownBy(() -> send("caravan-objects:mem:" + src, null,
                Map.of(ObjectsConstants.KEY, "a", ObjectsConstants.OPERATION, "move")))
                .cause().hasMessageContaining("unknown caravan-objects operation 'move' (known operations: stat, get,"
                        + " put, copy, delete, verify)");
    }

    @Test
    void endpointCreationValidatesConnectorAndEndpointOptions() {
        assertThat(context.getEndpoint("caravan-objects:mem:" + src + "?label=a&store.corrupt=false",
                CaravanObjectsEndpoint.class).getStoreOptions()).containsEntry("label", "a")
                .containsEntry("corrupt", "false");
        assertThatThrownBy(() -> context.getEndpoint("caravan-objects:mem:" + src + "?bogus=1"))
                .hasMessageContaining("unknown option 'bogus' for caravan-objects:mem:" + src
                        + " (options of connector 'mem': label, corrupt; endpoint options: ")
                .hasMessageContaining("targetKey");
        assertThatThrownBy(() -> context.getEndpoint("caravan-objects:mem:" + src + "?store.corrupt=maybe"))
                .hasMessageContaining("option 'corrupt' of mem: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> context.getEndpoint("caravan-objects:nope:/x"))
                .hasMessageContaining("unknown connector 'nope' (known connectors: ");
        assertThatThrownBy(() -> context.getEndpoint("caravan-objects:mem:" + src + "?mode=move"))
                .hasMessageContaining("for move use caravan:migrate?mode=move");
        assertThatThrownBy(() -> context.getEndpoint("caravan-objects:mem:" + src + "?operation=rename"))
                .hasMessageContaining("unknown caravan-objects operation 'rename'");
    }
}
