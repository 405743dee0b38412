package dev.caravan.connector.sftp;

import dev.caravan.api.store.LocalDisk;
import dev.caravan.api.store.ServerIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.sftp.client.SftpClient;

/**
 * An SFTP store's {@link dev.caravan.api.store.ObjectStore#rootLocation}: {@code sftp://host:port} and the root's
 * absolute canonical path on the server, so that {@code host/~/data} and {@code host/home/alice/data} are seen as one
 * location, and a root not created yet as lying where it will be. The user is left out: users of one server share its
 * file system, so alice's {@code /srv/data} is bob's too, and telling them apart would hide a real overlap (where a
 * user is jailed in a chroot the same path of two users may be two directories, and a copy between them is refused:
 * the safe side). The host is compared by its {@link ServerIdentity} ({@code localhost} and {@code 127.0.0.1} are one
 * server). A server on this machine that serves this machine's own files gives the location the local store gives
 * for that path ({@link LocalDisk}), so that {@code local:/d} and {@code sftp:u@localhost/d} are one directory (a move
 * between the two names removed every file); a chrooted or virtual server's paths are not this machine's, and are
 * told apart by the nearest existing directory of the path: only the same modification time, mode, owner and group on
 * both sides count as one. {@code %} and {@code ?} in the path are percent-encoded, as {@code ?} ends the compared
 * part.
 */
final class SftpRootLocation {
    private SftpRootLocation() {
    }

    /** The location of {@code path}, the store's absolute root on the server of {@code location}. */
    static String of(SftpLocation location, String path, SftpClient sftp) {
        String host = ServerIdentity.host(location.host());
        if (ServerIdentity.THIS_MACHINE.equals(host) && servesLocalPath(sftp, path)) {
            return "local:" + LocalDisk.location(Path.of(path));
        }
        return SftpStoreProvider.SCHEME + "://" + host + ":" + location.port()
                + path.replace("%", "%25").replace("?", "%3F");
    }

    /** Whether {@code path} (absolute, on a server of this machine) names the same directory here. */
    static boolean servesLocalPath(SftpClient sftp, String path) {
        Path existing = Path.of(path);
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        try {
            SftpClient.Attributes remote = sftp.stat(existing.toString());
            long mtime = ((FileTime) Files.getAttribute(existing, "unix:lastModifiedTime")).to(TimeUnit.SECONDS);
            int mode = (Integer) Files.getAttribute(existing, "unix:mode") & 07777;
            int uid = (Integer) Files.getAttribute(existing, "unix:uid");
            int gid = (Integer) Files.getAttribute(existing, "unix:gid");
            return remote.getModifyTime() != null && remote.getModifyTime().to(TimeUnit.SECONDS) == mtime
                    && (remote.getPermissions() & 07777) == mode && remote.getUserId() == uid
                    && remote.getGroupId() == gid;
        } catch (IOException | RuntimeException e) {
            return false; // not comparable: left to the server's own name
        }
    }
}
