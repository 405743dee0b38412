package dev.caravan.connector.libvirt;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.util.Locale;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * The one place where the libvirt connector turns libvirt failures into {@link MigrationException}s, by what the
 * runner should do:
 *
 * <table>
 * <caption>libvirt error to ErrorKind</caption>
 * <tr><th>libvirt error</th><th>kind</th></tr>
 * <tr><td>no domain, pool, volume, network, snapshot</td><td>NOT_FOUND</td></tr>
 * <tr><td>function not supported by the driver, argument unsupported</td><td>UNSUPPORTED (the caller falls
 * back, e.g. to another preflight method)</td></tr>
 * <tr><td>authentication failed or unavailable, access denied; bad XML or argument; unsafe migration;
 * incompatible CPU; operation invalid in the domain's state; domain or volume exists; migration to the same host
 * </td><td>USER_CONFIG: the user must change something, a retry cannot help</td></tr>
 * <tr><td>connection lost or refused, RPC failure, timeout, resource busy, agent unresponsive</td>
 * <td>TRANSIENT</td></tr>
 * <tr><td>job aborted, anything else</td><td>FATAL: stop and say why</td></tr>
 * </table>
 */
final class LibvirtErrors {

    private LibvirtErrors() {
    }

    /** Translates a failure of {@code what} (e.g. "migrating vm1 to qemu+ssh://b/system"). */
    static MigrationException translate(LibvirtException e, String what) {
        ErrorNumber code = e.getError() == null ? ErrorNumber.VIR_ERR_UNKNOWN : e.getError().getCode();
        String message = what + ": " + e.getMessage();
        return new MigrationException(kindOf(code, e.getMessage()), message, e);
    }

    /** The kind of a libvirt error code (and message, for the few codes libvirt overloads). */
    static ErrorKind kindOf(ErrorNumber code, String text) {
        String m = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (code == null) {
            return ErrorKind.FATAL;
        }
        switch (code) {
            case VIR_ERR_NO_DOMAIN, VIR_ERR_NO_STORAGE_POOL, VIR_ERR_NO_STORAGE_VOL, VIR_ERR_NO_NETWORK,
                    VIR_ERR_NO_DOMAIN_SNAPSHOT, VIR_ERR_NO_SECRET, VIR_ERR_NO_INTERFACE, VIR_ERR_NO_NODE_DEVICE,
                    VIR_ERR_NO_DOMAIN_METADATA, VIR_ERR_DEVICE_MISSING:
                return ErrorKind.NOT_FOUND;
            case VIR_ERR_NO_SUPPORT, VIR_ERR_ARGUMENT_UNSUPPORTED, VIR_ERR_OPERATION_UNSUPPORTED:
                return ErrorKind.UNSUPPORTED;
            case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_AUTH_UNAVAILABLE, VIR_ERR_ACCESS_DENIED,
                    VIR_ERR_OPERATION_DENIED, VIR_ERR_XML_ERROR, VIR_ERR_XML_DETAIL, VIR_ERR_XML_INVALID_SCHEMA,
                    VIR_ERR_INVALID_ARG, VIR_ERR_CONFIG_UNSUPPORTED, VIR_ERR_MIGRATE_UNSAFE, VIR_ERR_CPU_INCOMPATIBLE,
                    VIR_ERR_OPERATION_INVALID, VIR_ERR_DOM_EXIST, VIR_ERR_STORAGE_VOL_EXIST, VIR_ERR_NO_NAME,
                    VIR_ERR_OS_TYPE, VIR_ERR_BLOCK_COPY_ACTIVE, VIR_ERR_INVALID_DOMAIN, VIR_ERR_INVALID_STORAGE_POOL,
                    VIR_ERR_INVALID_STORAGE_VOL, VIR_ERR_SSH, VIR_ERR_LIBSSH, VIR_ERR_GNUTLS_ERROR,
                    VIR_ERR_NO_HOSTNAME, VIR_ERR_UNKNOWN_HOST:
                return ErrorKind.USER_CONFIG;
            case VIR_ERR_NO_CONNECT, VIR_ERR_INVALID_CONN, VIR_ERR_RPC, VIR_ERR_OPERATION_TIMEOUT,
                    VIR_ERR_AGENT_UNRESPONSIVE, VIR_ERR_AGENT_UNSYNCED, VIR_ERR_RESOURCE_BUSY:
                return ErrorKind.TRANSIENT;
            case VIR_ERR_OPEN_FAILED, VIR_ERR_SYSTEM_ERROR:
                return looksTransient(m) ? ErrorKind.TRANSIENT : ErrorKind.USER_CONFIG;
            case VIR_ERR_INTERNAL_ERROR, VIR_ERR_OPERATION_FAILED:
                if (m.contains("same host")) {
                    return ErrorKind.USER_CONFIG;
                }
                return looksTransient(m) ? ErrorKind.TRANSIENT : ErrorKind.FATAL;
            default:
                return ErrorKind.FATAL;
        }
    }

    /** The enum constant of a C {@code virErrorNumber} (libvirt-java's enum follows the C order). */
    static ErrorNumber number(int code) {
        ErrorNumber[] all = ErrorNumber.values();
        return code >= 0 && code < all.length ? all[code] : ErrorNumber.VIR_ERR_UNKNOWN;
    }

    /** libvirt-java could not load libvirt.so (JNA): an installation problem. */
    static MigrationException nativeLibraryMissing(LinkageError e) {
        return new MigrationException(ErrorKind.USER_CONFIG, "cannot load libvirt's C library through JNA ("
                + e.getMessage() + "); install libvirt0 and libvirt-dev (for the unversioned libvirt.so), e.g. "
                + "apt-get install libvirt-dev", e);
    }

    private static boolean looksTransient(String m) {
        return m.contains("connection refused") || m.contains("connection reset") || m.contains("timed out")
                || m.contains("temporarily") || m.contains("end of file while reading") || m.contains("broken pipe")
                || m.contains("cannot recv data") || m.contains("is not running") || m.contains("no route to host")
                || m.contains("failed to connect socket");
    }
}
