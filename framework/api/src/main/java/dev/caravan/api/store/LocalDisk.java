package dev.caravan.api.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a path of this machine lies ({@link #location(Path)}, for {@link ObjectStore#rootLocation}): its real path,
 * through symbolic links, and then on its file system rather than in the tree of mounts: the device of the mount that
 * holds it and the path from that file system's root. One directory reached through two mounts of one file system (a bind mount,
 * {@code mount --bind /data /mnt/alias}) then has one location, so a copy or sync between the two is seen to overlap.
 * Linux only ({@code /proc/self/mountinfo}); elsewhere, or when that cannot be read, the path itself. Shared by the
 * local store and by an SFTP store whose server is this machine, so that the two names of one directory are seen to
 * overlap.
 */
public final class LocalDisk {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One line of mountinfo: the device ({@code major:minor}), the root of the mount in its file system, where. */
    record Mount(String device, String root, String mountPoint) {
    }

    private LocalDisk() {
    }

    /** Where {@code path} (absolute) lies: {@code device:path-in-file-system} of its real path, or that path. */
    public static String location(Path path) {
        return mountLocation(realPath(path));
    }

    /**
     * The real path of {@code path} (absolute): that of its nearest existing ancestor, through symbolic links, then
     * the part that does not exist yet; the path itself when even that cannot be read.
     */
    public static Path realPath(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path));
        } catch (IOException e) {
            return path;
        }
    }

    /** {@code device:path-in-file-system} of a real (absolute, links resolved) path, or the path itself. */
    static String mountLocation(Path realPath) {
        try {
            return location(realPath, parse(Files.readAllLines(MOUNTINFO)));
        } catch (IOException | RuntimeException e) {
            return realPath.toString();
        }
    }

    /**
     * {@code device:path-in-file-system} of {@code realPath} under {@code mounts} (in mountinfo's order: of two mounts
     * on one point the later is the one seen), or the path itself when no mount holds it.
     */
    static String location(Path realPath, List<Mount> mounts) {
        String path = realPath.toString();
        Mount holder = null;
        for (Mount m : mounts) {
            if (holds(m.mountPoint(), path)
                    && (holder == null || m.mountPoint().length() >= holder.mountPoint().length())) {
                holder = m;
            }
        }
        if (holder == null) {
            return path;
        }
        String below = holder.mountPoint().equals("/") ? path : path.substring(holder.mountPoint().length());
        String inFileSystem = holder.root().equals("/") ? below : holder.root() + below;
        return holder.device() + ":" + (inFileSystem.isEmpty() ? "/" : inFileSystem);
    }

    private static boolean holds(String mountPoint, String path) {
        return mountPoint.equals("/") || path.equals(mountPoint) || path.startsWith(mountPoint + "/");
    }

    /** The mounts of mountinfo lines ({@code id parent major:minor root mount-point options ... - type source ...}). */
    static List<Mount> parse(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                mounts.add(new Mount(f[2], unescape(f[3]), unescape(f[4])));
            }
        }
        return mounts;
    }

    /** mountinfo writes a space, tab, newline and backslash in a path as an octal escape ({@code \040}). */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
