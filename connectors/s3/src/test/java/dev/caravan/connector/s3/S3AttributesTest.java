package dev.caravan.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.MetadataCheck.Refusal;
import dev.caravan.api.store.MetadataKind;
import dev.caravan.api.store.PutRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3AttributesTest {

    @Test
    void tagsTravelAsAUrlQueryInKeyOrder() {
        assertThat(S3Attributes.tagging(Map.of("b", "x y", "a", "1+1=2", "c/d", "\u00e9"))).isEqualTo(
                "a=1%2B1%3D2&b=x%20y&c%2Fd=%C3%A9");
        assertThat(S3Attributes.tagging(Map.of())).isNull();
    }

    @Test
    void whatS3CannotHoldIsRefusedAttributeByAttribute() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("bad key", "1");
        metadata.put("Owner", "a");
        metadata.put("owner", "b");
        metadata.put("caravan-mtime", "2");
        metadata.put("zz-big", "v".repeat(2100));
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            tags.put("t" + (char) ('a' + i), "v");
        }
        tags.put("bad*tag", "v");
        PutRequest request = new PutRequest(1, Instant.EPOCH, "image/png", metadata, -1,
                new ContentHeaders(null, "attachment; filename=\"\u00e9.pdf\"", null, null), tags);

        List<Refusal> refused = S3Attributes.refusals(request, true);

        assertThat(refused).extracting(r -> r.kind() + ":" + r.name()).containsExactlyInAnyOrder(
                "USER_METADATA:bad key", "USER_METADATA:owner", "USER_METADATA:caravan-mtime",
                "USER_METADATA:zz-big", "CONTENT_HEADERS:contentDisposition", "TAGS:bad*tag", "TAGS:tk");
        assertThat(refused).filteredOn(r -> r.name().equals("owner")).first().extracting(Refusal::reason)
                .asString().contains("lower case");
        assertThat(S3Attributes.refusals(request, false)).noneMatch(r -> r.kind() == MetadataKind.TAGS);
    }
}
