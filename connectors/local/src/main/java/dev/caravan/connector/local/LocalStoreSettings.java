package dev.caravan.connector.local;

/**
 * How a store behaves; see the options of {@link LocalStoreProvider} for what each one means.
 *
 * @param createRoot       create a missing root directory on the first write
 * @param followSymlinks   follow symbolic links (otherwise skipped when listing and refused in keys)
 * @param preserveMode     report and apply POSIX permission bits
 * @param fsync            force written files and renamed directories to disk
 * @param sparse           write all-zero 64 KiB blocks as holes
 * @param xattrs           keep content type, content headers, user metadata and tags in extended attributes
 * @param guessContentType report the content type a file's name implies when none is kept
 *                         ({@link dev.caravan.api.store.ContentTypes})
 */
public record LocalStoreSettings(boolean createRoot, boolean followSymlinks, boolean preserveMode, boolean fsync,
        boolean sparse, boolean xattrs, boolean guessContentType) {
    /** The defaults of the declared options. */
    public static final LocalStoreSettings DEFAULTS = new LocalStoreSettings(true, false, true, false, true, true,
            true);

    /** Settings that guess content types from file names (the default). */
    public LocalStoreSettings(boolean createRoot, boolean followSymlinks, boolean preserveMode, boolean fsync,
            boolean sparse, boolean xattrs) {
        this(createRoot, followSymlinks, preserveMode, fsync, sparse, xattrs, true);
    }

    /** Settings that keep attributes in extended attributes (the default). */
    public LocalStoreSettings(boolean createRoot, boolean followSymlinks, boolean preserveMode, boolean fsync,
            boolean sparse) {
        this(createRoot, followSymlinks, preserveMode, fsync, sparse, true);
    }

    /** Settings that write sparse files (the default). */
    public LocalStoreSettings(boolean createRoot, boolean followSymlinks, boolean preserveMode, boolean fsync) {
        this(createRoot, followSymlinks, preserveMode, fsync, true);
    }
}
