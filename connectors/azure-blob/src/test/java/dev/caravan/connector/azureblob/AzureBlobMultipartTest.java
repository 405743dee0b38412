package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.store.ContentHeaders;
import dev.caravan.api.store.PutRequest;
import dev.caravan.testkit.contract.ContractSupport;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Upload ids and block ids of {@link AzureBlobMultipart}, without a network. */
class AzureBlobMultipartTest {

    @Test
    void blockIdsHaveOneLengthAndEncodeThePartNumber() {
        Set<Integer> lengths = new HashSet<>();
        for (int n : new int[] {1, 9, 10, 9999, 10_000, 999_999}) {
            String id = AzureBlobMultipart.blockId("0123456789abcdef", n);
            lengths.add(id.length());
            assertThat(Base64.getDecoder().decode(id)).hasSizeLessThanOrEqualTo(64);
            assertThat(AzureBlobMultipart.partNumber("0123456789abcdef", id)).isEqualTo(n);
            assertThat(AzureBlobMultipart.partNumber("fedcba9876543210", id)).as("other upload").isEqualTo(-1);
        }
        assertThat(lengths).hasSize(1);
        assertThat(AzureBlobMultipart.partNumber("0123456789abcdef", "not base64!")).isEqualTo(-1);
        assertThat(AzureBlobMultipart.partNumber("0123456789abcdef",
                Base64.getEncoder().encodeToString("something else".getBytes()))).isEqualTo(-1);
    }

    @Test
    void theUploadIdCarriesTheRequestForAResumeInAnotherProcess() {
        Instant time = Instant.parse("2020-01-02T03:04:05.678Z");
        PutRequest request = new PutRequest(123, time, "text/plain; charset=utf-8",
                Map.of("a&b=c", "x=y&z", "\u00e9", "\uD83D\uDE00", "caravan-sha256", "ab".repeat(32)), 0644,
                new ContentHeaders("max-age=1", "attachment; filename=\"a&b.txt\"", null, "fr"),
                Map.of("team", "a=b&c"));
        String id = AzureBlobMultipart.newUploadId(request);
        assertThat(id).matches("v1\\.[0-9a-f]{16}\\.[A-Za-z0-9_-]*");
        AzureBlobMultipart.Upload upload = AzureBlobMultipart.parse(id);
        assertThat(upload.request().contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(upload.request().modTime()).isEqualTo(time);
        assertThat(upload.request().metadata()).isEqualTo(Map.of("a&b=c", "x=y&z", "\u00e9", "\uD83D\uDE00"));
        assertThat(upload.request().headers()).isEqualTo(request.headers());
        assertThat(upload.request().tags()).isEqualTo(Map.of("team", "a=b&c"));
        PutRequest empty = AzureBlobMultipart.parse(AzureBlobMultipart.newUploadId(PutRequest.ofSize(-1)))
                .request();
        assertThat(empty.contentType()).isNull();
        assertThat(empty.modTime()).isNull();
        assertThat(empty.metadata()).isEmpty();
    }

    @Test
    void foreignUploadIdsAreRefused() {
        for (String bad : new String[] {"", "v2.0123456789abcdef.", "v1.xyz.", "some-s3-upload-id"}) {
            ContractSupport.assertFailsWith(ErrorKind.FATAL, "upload id " + bad, () -> AzureBlobMultipart.parse(bad));
        }
    }
}
