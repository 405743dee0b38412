package dev.caravan.connector.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The textual part of {@link SftpRealPath}: the missing rest of a path appended to its canonical ancestor. */
class SftpRealPathTest {

    @Test
    void missingSegmentsAreAppendedWithDotsApplied() {
        assertThat(SftpRealPath.appended("/home/alice", List.of())).isEqualTo("/home/alice");
        assertThat(SftpRealPath.appended("/", List.of())).isEqualTo("/");
        assertThat(SftpRealPath.appended("/home/alice", List.of("new", "sub"))).isEqualTo("/home/alice/new/sub");
        assertThat(SftpRealPath.appended("/srv", List.of("new", "..", "data", ".", ""))).isEqualTo("/srv/data");
        assertThat(SftpRealPath.appended("/srv", List.of("..", "..", "x"))).as("not above /").isEqualTo("/x");
    }
}
