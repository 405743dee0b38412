package dev.caravan.api.error;

/**
 * A write a file tree refused because a file stands where a directory must be, or a directory where a file must be:
 * {@code a} and {@code a/b} (see {@link dev.caravan.api.store.ObjectStore#isFileTree}). {@link ErrorKind#USER_DATA}:
 * the same write fails again, but a sync tries it once more after its deletions, which may remove what was in the way.
 */
public final class FileTreeClashException extends MigrationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param at     the path of the clash, as the store names it
     * @param reason the server's words, or {@code null}
     * @param cause  the failure of the file operation
     */
    public FileTreeClashException(String at, String reason, Throwable cause) {
        super(ErrorKind.USER_DATA, "a file and a directory clash at " + at + " (one object's key is a directory of"
                + " another's)" + (reason == null ? "" : ": " + reason), cause);
    }

    /** Whether {@code failure} or one of its causes is a clash. */
    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileTreeClashException) {
                return true;
            }
        }
        return false;
    }
}
