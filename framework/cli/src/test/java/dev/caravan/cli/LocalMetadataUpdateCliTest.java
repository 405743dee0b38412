package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local -> local rerun after a source file's user metadata (an extended attribute) changed while its bytes did not:
 * the target file's attributes are updated in place, no byte copied, and the next rerun finds nothing to do.
 */
class LocalMetadataUpdateCliTest {
    @TempDir
    Path tmp;
    Path src;
    Path dst;
    final String content = "same bytes " + UUID.randomUUID();
    final String owner = "owner-" + UUID.randomUUID();
    final String newOwner = "owner-" + UUID.randomUUID();

    @BeforeEach
    void copiedOnce() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        dst = tmp.resolve("dst");
        assertThat(Files.getFileStore(src).supportsFileAttributeView(UserDefinedFileAttributeView.class)).isTrue();
        Files.writeString(src.resolve("a.txt"), content);
        Files.writeString(src.resolve("b.txt"), "other " + UUID.randomUUID());
        setOwner(src.resolve("a.txt"), owner);
        CliRunner.Result first = copy();
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(owner(dst.resolve("a.txt"))).isEqualTo(owner);
    }

    /** With {@code --compare checksum}: a local file's attributes changed alone leave its time as it was. */
    private CliRunner.Result copy() {
        return CliRunner.run("--home", tmp.resolve("home").toString(), "--no-progress", "copy", "local:" + src,
                "local:" + dst, "--compare", "checksum");
    }

    private static void setOwner(Path file, String value) throws IOException {
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
                .write("owner", ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String owner(Path file) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        ByteBuffer b = ByteBuffer.allocate(view.size("owner"));
        view.read("owner", b);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void aChangedUserMetadataIsUpdatedInPlaceWithNoByteCopiedAndTheNextRerunDoesNothing() throws IOException {
        Path target = dst.resolve("a.txt");
        Object inode = Files.readAttributes(target, BasicFileAttributes.class).fileKey();
        setOwner(src.resolve("a.txt"), newOwner); // the mtime stays: only the inode's ctime changes

        CliRunner.Result update = copy();

        assertThat(update.code()).as(update.toString()).isZero();
        assertThat(update.out()).as(update.toString()).contains("1 unchanged, 1 with metadata to update")
                .contains("copied    0 objects, 0 B");
        assertThat(owner(target)).isEqualTo(newOwner);
        assertThat(Files.readString(target)).isEqualTo(content);
        assertThat(Files.readAttributes(target, BasicFileAttributes.class).fileKey()).as("same file").isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(target)).isEqualTo(Files.getLastModifiedTime(src.resolve("a.txt")));

        CliRunner.Result again = copy();
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).as(again.toString()).contains("0 changed (0 B), 0 to delete, 2 unchanged\n")
                .contains("copied    0 objects, 0 B");
    }
}
