package dev.caravan.connector.local;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.PutRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Objects;

/**
 * The local store's {@link dev.caravan.api.store.AttributeWrite}: replaces what a put keeps of a file's attributes
 * without writing its bytes. With extended attributes, they are replaced ({@link LocalXattrs#replace}); then the
 * modification time is set, last: a run killed in between leaves each attribute old or new and the old time, and
 * its rerun compares again and updates what still differs. Without them the store keeps the time only (its features say so), and only the time is set. The file must
 * not be replaced or resized meanwhile (same inode, same size): otherwise TRANSIENT, and the rerun compares again.
 * Stateless apart from its settings; thread-safe.
 */
final class LocalAttributeWriter {
    private final LocalPaths paths;
    private final boolean xattrs;
    private final boolean fsync;

    LocalAttributeWriter(LocalPaths paths, boolean xattrs, boolean fsync) {
        this.paths = paths;
        this.xattrs = xattrs;
        this.fsync = fsync;
    }

    void replace(String key, PutRequest attributes) {
        Path file = paths.locate(key);
        if (paths.statChecked(key, file).isEmpty()) {
            throw MigrationException.notFound("cannot update the attributes of '" + key + "': no regular file "
                    + file);
        }
        try {
            BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class, paths.linkOptions());
            if (xattrs) {
                replaceXattrs(file, attributes);
            }
            BasicFileAttributeView view = Files.getFileAttributeView(file, BasicFileAttributeView.class,
                    paths.linkOptions());
            BasicFileAttributes after = view.readAttributes();
            if (!Objects.equals(before.fileKey(), after.fileKey()) || before.size() != after.size()
                    || !before.lastModifiedTime().equals(after.lastModifiedTime())) {
                throw MigrationException.transientError("'" + key + "' changed while its attributes were updated ("
                        + before.size() + " B modified " + before.lastModifiedTime() + " before, " + after.size()
                        + " B modified " + after.lastModifiedTime() + " after)", null);
            }
            if (attributes.modTime() != null) {
                view.setTimes(FileTime.from(attributes.modTime()), FileTime.from(Instant.now()), null);
            }
            if (fsync) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        } catch (IOException e) {
            throw LocalErrors.translate(e, file);
        }
    }

    private static void replaceXattrs(Path file, PutRequest attributes) throws IOException {
        try {
            LocalXattrs.replace(file, attributes);
        } catch (IOException e) {
            if (LocalErrors.isMissing(e)) {
                throw e;
            }
            throw LocalXattrs.unkeepable(file, e);
        }
    }
}
