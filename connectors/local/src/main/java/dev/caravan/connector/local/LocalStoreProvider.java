package dev.caravan.connector.local;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.StoreProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code local} scheme: objects are files under a directory of a local or mounted file system, e.g.
 * {@code local:/data/export} or {@code local:./out} (relative to the working directory). Stateless and
 * thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class LocalStoreProvider implements StoreProvider {

    /** The URI scheme. */
    public static final String SCHEME = "local";

    /** Whether to create a missing root directory. */
    public static final OptionDef CREATE_ROOT = OptionDef.of("createRoot", OptionType.BOOLEAN,
            "Create a missing root directory (and its parents) on the first write, as cp and rclone do for a "
                    + "target. Never done for reading: a missing source directory is an error. Set false to make "
                    + "writes into a missing (e.g. mistyped or unmounted) root fail instead.")
            .withDefault("true");

    /** Whether to follow symbolic links. */
    public static final OptionDef FOLLOW_SYMLINKS = OptionDef.of("followSymlinks", OptionType.BOOLEAN,
            "Follow symbolic links when listing, reading and writing, wherever they point. Off: links are skipped "
                    + "when listing and a key whose path crosses a link is refused, so nothing outside the root "
                    + "is read or written.")
            .withDefault("false");

    /** Whether to keep POSIX permission bits. */
    public static final OptionDef PRESERVE_MODE = OptionDef.of("preserveMode", OptionType.BOOLEAN,
            "Report the POSIX permission bits (rwx for owner, group, others) of files and apply them to written "
                    + "files, on file systems that have them. Setuid, setgid and sticky bits are never applied.")
            .withDefault("true");

    /** Whether to force written data to disk. */
    public static final OptionDef FSYNC = OptionDef.of("fsync", OptionType.BOOLEAN,
            "Force each written file to disk before it is renamed into place (and the directory after the "
                    + "rename). Survives a power cut; slower, especially for many small files.")
            .withDefault("false");

    /** Whether to write holes for runs of zeros. */
    public static final OptionDef SPARSE = OptionDef.of("sparse", OptionType.BOOLEAN,
            "Write every 64 KiB block (at a 64 KiB offset) that is all zeros as a hole instead of writing it, so "
                    + "sparse disk images and block-device copies stay sparse on the target (like cp "
                    + "--sparse=always). The file reads back identically; set false to allocate every block "
                    + "(e.g. for preallocated images).")
            .withDefault("true");

    /** Whether to keep descriptive attributes in extended attributes. */
    public static final OptionDef XATTRS = OptionDef.of("xattrs", OptionType.BOOLEAN,
            "Keep the content type, content headers (cache control, disposition, encoding, language), user metadata "
                    + "and tags of written files in extended attributes of the user. namespace (user metadata KEY as "
                    + "user.KEY, like rclone --metadata; the content type as user.mime_type; the rest under "
                    + "user.caravan.), and report them when reading. Used only where the file system has user "
                    + "extended attributes (ext4, XFS, btrfs, tmpfs; ext4 holds about 4 KB per file). Off, or "
                    + "where unsupported: they are not kept, and a copy reports them object by object.")
            .withDefault("true");

    /** Whether a file's name implies its content type. */
    public static final OptionDef GUESS_CONTENT_TYPE = OptionDef.of("guessContentType", OptionType.BOOLEAN,
            "Report the content type a file's extension implies (.html text/html, .json application/json, .png "
            + "image/png, ...) when none is kept in its extended attributes, as aws s3 cp, AzCopy and rclone do: a "
            + "copy to S3 or Azure then stores it. A copy to a local target does not write a content type its name "
            + "implies. Set false to report none (S3 then stores application/octet-stream).")
            .withDefault("true");

    private static final Options OPTIONS = Options.of("connector " + SCHEME, CREATE_ROOT, FOLLOW_SYMLINKS,
            PRESERVE_MODE, FSYNC, SPARSE, XATTRS, GUESS_CONTENT_TYPE);

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Files in a directory of a local or mounted file system";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    /**
     * Opens the directory {@code location} (absolute, or relative to the working directory).
     *
     * @param config options resolved by {@link #options()}; {@code null} means all defaults
     */
    @Override
    public ObjectStore open(String location, Config config) {
        if (location == null || location.isBlank()) {
            throw MigrationException.userConfig("the local connector needs a directory, e.g. local:/data or "
                    + "local:./data");
        }
        Config resolved = config == null ? OPTIONS.resolve(Map.of()) : config;
        Path root;
        try {
            root = Path.of(location);
        } catch (InvalidPathException e) {
            throw MigrationException.userConfig("not a valid directory for local: '" + location + "' ("
                    + e.getReason() + ")");
        }
        LocalStoreSettings settings = new LocalStoreSettings(
                resolved.bool(CREATE_ROOT.name()),
                resolved.bool(FOLLOW_SYMLINKS.name()),
                resolved.bool(PRESERVE_MODE.name()),
                resolved.bool(FSYNC.name()),
                resolved.bool(SPARSE.name()),
                resolved.bool(XATTRS.name()),
                resolved.bool(GUESS_CONTENT_TYPE.name()));
        return LocalObjectStore.open(root, settings);
    }
}
