package dev.caravan.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.AttributeWrite;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.HashType;
import dev.caravan.api.store.MetadataWrite;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The check every {@link AttributeWrite} passes (a rerun's metadata update in place): an object written with
 * {@code written} and given our SHA-256 ({@link MetadataWrite}), then {@link AttributeWrite#replaceAttributes} with another content type,
 * cache control, user metadata and time, reads back with exactly those, and with the stored SHA-256 kept. Stateless.
 */
public final class AttributeWriteContract {
    private AttributeWriteContract() {
    }

    /**
     * Runs the check on {@code key} of {@code store} (which must offer {@link AttributeWrite}) with {@code bytes}, and
     * returns the object's attributes before and after, for the connector's own further checks (its bytes as its raw
     * client reads them, its native digests, its tags).
     */
    public static Replaced replaceKeepsBytesAndDigest(ObjectStore store, String key, byte[] bytes,
            PutRequest written, Instant newTime) {
        String sha = sha256(bytes);
        store.put(key, new ByteArrayInputStream(bytes), written);
        store.capability(MetadataWrite.class).orElseThrow().putMetadata(key, Map.of("caravan-sha256", sha));
        ObjectInfo before = store.stat(key).orElseThrow();
        String owner = "owner-" + UUID.randomUUID();
        ContentHeaders headers = new ContentHeaders("no-cache", null, null, null);

        store.capability(AttributeWrite.class).orElseThrow().replaceAttributes(key,
                new PutRequest(-1, newTime, "text/plain", Map.of("team", owner), -1, headers, Map.of()));

        ObjectInfo after = store.stat(key).orElseThrow();
        assertThat(after.contentType()).isEqualTo("text/plain");
        assertThat(after.headers()).isEqualTo(headers);
        assertThat(after.metadata()).isEqualTo(Map.of("team", owner));
        assertThat(after.modTime()).isEqualTo(newTime);
        assertThat(after.hash(HashType.SHA256)).contains(sha);
        return new Replaced(before, after);
    }

    /** An object's attributes before and after {@link AttributeWrite#replaceAttributes}. */
    public record Replaced(ObjectInfo before, ObjectInfo after) {
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
