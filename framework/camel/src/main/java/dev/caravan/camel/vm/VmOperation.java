package dev.caravan.camel.vm;

import dev.caravan.api.error.MigrationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a {@code caravan-vm:} endpoint does with each exchange (the URI path). */
public enum VmOperation {
    /** Body: the domain's {@link dev.caravan.api.vm.VmDescription} (parsed XML: CPU, memory, disks, NICs). */
    DESCRIBE("describe"),
    /** Body: {@code List<VmRef>} of the source host, sorted by name (filtered by {@code state}). */
    LIST("list"),
    /** Body: {@code List<PreflightCheck>}; nothing changes on either host. Never fails because a check failed. */
    PREFLIGHT("preflight"),
    /** Live pre-copy migration source to target; body: {@link dev.caravan.api.vm.MigrationResult}. */
    MIGRATE_LIVE("migrateLive"),
    /** Cold migration (shutdown, verified disk copy, define, start, remove source); body: MigrationResult. */
    MIGRATE_COLD("migrateCold"),
    /** Moves a running domain's disk to another path or pool of its host; body: MigrationResult. */
    MOVE_STORAGE("moveStorage"),
    /** Aborts the domain's running migration or storage move; the domain keeps running where it was. */
    ABORT("abort");

    private final String uriName;

    VmOperation(String uriName) {
        this.uriName = uriName;
    }

    /** The URI form, e.g. {@code migrateLive}. */
    public String uriName() {
        return uriName;
    }

    /**
     * Parses the URI form, ignoring case, {@code -} and {@code _} ({@code migrate-live} works too); an unknown name
     * gives USER_CONFIG listing the known ones.
     */
    public static VmOperation parse(String text) {
        String t = text == null ? "" : text.trim();
        String wanted = t.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (VmOperation op : values()) {
            if (op.uriName.toLowerCase(Locale.ROOT).equals(wanted)) {
                return op;
            }
        }
        throw MigrationException.userConfig("unknown caravan-vm operation '" + t + "' (known operations: "
                + Arrays.stream(values()).map(VmOperation::uriName).collect(Collectors.joining(", "))
                + "), e.g. caravan-vm:migrateLive?source=RAW(libvirt:qemu+ssh://root@a/system)"
                + "&target=RAW(libvirt:qemu+ssh://root@b/system)&domain=web1");
    }
}
