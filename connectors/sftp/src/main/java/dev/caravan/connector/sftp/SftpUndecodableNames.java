package dev.caravan.connector.sftp;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.io.IOException;
import java.util.List;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * Names on the server whose bytes are not UTF-8 (left by a Latin-1 system: {@code caf\xe9.txt}). The SFTP client reads
 * such bytes as U+FFFD, and that name, sent back, opens, lists and removes nothing. Listings still name such files and
 * directories as objects (their keys hold U+FFFD), as the local connector does, so that a copy from them, a sync's
 * deletion of them and {@code verify --exact} fail saying why instead of leaving them out unseen; the operations on
 * such a key that find nothing {@linkplain #refuse refuse} it (USER_DATA) instead of reporting it missing.
 */
final class SftpUndecodableNames {

    private SftpUndecodableNames() {
    }

    /**
     * Fails with USER_DATA when {@code key}, found missing, is the key of a listed entry whose name is not UTF-8: its
     * directory holds an entry of that (decoded) name. Nothing for other keys, which are simply missing.
     *
     * @param action what cannot be done, e.g. {@code read} or {@code deleted}
     */
    static void refuse(SftpClient sftp, SftpLocation location, String key, String action) throws IOException {
        if (key.indexOf('\uFFFD') < 0) {
            return;
        }
        String parent = ObjectKeys.parent(key);
        String name = ObjectKeys.baseName(key);
        String dir = parent.isEmpty() ? SftpLister.rootDir(location) : location.remote(parent);
        List<SftpClient.DirEntry> entries = SftpLister.readAll(sftp, dir);
        if (entries == null) {
            return;
        }
        for (SftpClient.DirEntry entry : entries) {
            if (entry.getFilename().equals(name)) {
                boolean directory = entry.getAttributes().isDirectory();
                throw MigrationException.userData("'" + key + "' cannot be " + action + ": the name of the "
                        + (directory ? "directory" : "file") + " '" + name + "' in " + dir + " on "
                        + location.user() + "@" + location.hostPort() + " holds bytes that are not UTF-8, which were "
                        + "listed as \uFFFD, and no key can name " + (directory ? "it or anything in it" : "it")
                        + "; rename it on the server (e.g. convmv -f latin1 -t utf-8 --notest) and run again");
            }
        }
    }
}
