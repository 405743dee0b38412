package dev.caravan.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filter files read as rclone's: comments, blank lines and CRLF ignored; bad input named by file and line. */
class FilterFilesTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();
    @TempDir
    Path dir;

    private String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p.toString();
    }

    @Test
    void globsAreReadInOrderWithoutCommentsBlankLinesOrLineEnds() throws IOException {
        String f = file("globs.txt", "\uFEFF# temporary files\r\n*.tmp\r\n\r\n   \n logs/**\n#*.keep\nreport\\*.pdf");
        assertThat(FilterFiles.globs("--exclude-from", f, NO_STDIN))
                .containsExactly("*.tmp", " logs/**", "report\\*.pdf");
    }

    @Test
    void aGlobThatDoesNotCompileIsNamedByFileAndLine() throws IOException {
        String f = file("bad.txt", "# fine\n*.csv\n{a,b\n");
        assertThatThrownBy(() -> FilterFiles.globs("--include-from", f, NO_STDIN))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessageContaining("--include-from '" + f + "' line 3: bad glob '{a,b'");
    }

    @Test
    void aMissingFileIsAUserError() {
        String missing = dir.resolve("nope.txt").toString();
        assertThatThrownBy(() -> FilterFiles.keys("--files-from", missing, NO_STDIN))
                .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.USER_CONFIG))
                .hasMessage("cannot read --files-from '" + missing + "': no such file");
        assertThatThrownBy(() -> FilterFiles.globs("--exclude-from", dir.toString(), NO_STDIN))
                .hasMessageContaining("cannot read --exclude-from '" + dir + "'");
    }

    @Test
    void keysMayStartWithASlashOrDotSlashAndKeepTheirSpaces() throws IOException {
        String f = file("list.txt", "# the list\r\n/a.txt\r\n./dir/b c.txt\r\n\r\nz\nz\n.hidden\n");
        ListedKeys keys = FilterFiles.keys("--files-from", f, NO_STDIN);
        assertThat(keys.keys()).containsExactly(".hidden", "a.txt", "dir/b c.txt", "z");
        assertThat(keys.contains("dir/b c.txt")).isTrue();
        assertThat(keys.contains("dir/b")).isFalse();
        assertThat(keys.origin()).isEqualTo(f);
    }

    @Test
    void keysThatLeaveTheRootAreRefusedWithTheirLine() throws IOException {
        for (String hostile : new String[] {"../etc/passwd", "a/../../b", "a/./b", "a//b", "/", "dir/"}) {
            String f = file("hostile.txt", "fine.txt\n" + hostile + "\n");
            assertThatThrownBy(() -> FilterFiles.keys("--files-from", f, NO_STDIN)).as(hostile)
                    .isInstanceOfSatisfying(MigrationException.class, e -> assertThat(e.kind())
                            .isEqualTo(ErrorKind.USER_CONFIG))
                    .hasMessageContaining("--files-from '" + f + "' line 2: key '" + hostile + "'");
        }
    }

    @Test
    void aDashReadsStandardInput() {
        InputStream stdin = new ByteArrayInputStream("b\r\na\n".getBytes(StandardCharsets.UTF_8));
        ListedKeys keys = FilterFiles.keys("--files-from", FilterFiles.STDIN, stdin);
        assertThat(keys.keys()).containsExactly("a", "b");
        assertThat(keys.origin()).isEqualTo("-");
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws IOException {
        Path p = dir.resolve("latin1.txt");
        Files.write(p, new byte[] {'a', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> FilterFiles.keys("--files-from", p.toString(), NO_STDIN))
                .hasMessageContaining("is not UTF-8 text");
    }

    @Test
    void twoListsOfTheSameKeysHaveTheSameDigest() {
        ListedKeys one = ListedKeys.of(java.util.List.of("b", "a", "a"), "one");
        ListedKeys other = ListedKeys.of(java.util.List.of("a", "b"), "other");
        assertThat(one).isEqualTo(other);
        assertThat(one.digest()).isEqualTo(other.digest());
        assertThat(one.toString()).isEqualTo("2 keys, sha256 " + one.digest());
        assertThat(ListedKeys.of(java.util.List.of("a", "c"), "x").digest()).isNotEqualTo(one.digest());
    }
}
