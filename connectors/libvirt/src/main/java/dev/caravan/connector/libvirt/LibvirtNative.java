package dev.caravan.connector.libvirt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * The few libvirt C calls that libvirt-java 0.5.3 does not bind, called through JNA on the same {@code libvirt.so}:
 * job statistics (downtime, iterations, dirty rate), hypervisor CPU comparison, post-copy switch, dirty-rate
 * sampling and holes in sparse volume uploads. The handles come from libvirt-java's objects (package-private
 * fields, read by reflection).
 */
final class LibvirtNative {
    /** {@code VIR_DOMAIN_JOB_STATS_COMPLETED}. */
    static final int JOB_STATS_COMPLETED = 1;
    /** {@code VIR_DOMAIN_STATS_DIRTYRATE}. */
    static final int STATS_DIRTYRATE = 1 << 9;
    /** sizeof(virTypedParameter): char field[80], int type, 4 bytes padding, 8-byte union. */
    private static final int TYPED_PARAM_SIZE = 96;
    private static final int VALUE_OFFSET = 88;

    /** The C functions. */
    interface Lib extends com.sun.jna.Library {
        int virDomainGetJobStats(Pointer dom, IntByReference type, PointerByReference params, IntByReference n,
                int flags);

        void virTypedParamsFree(Pointer params, int n);

        int virConnectCompareHypervisorCPU(Pointer conn, String emulator, String arch, String machine,
                String virttype, String xmlCPU, int flags);

        int virDomainMigrateStartPostCopy(Pointer dom, int flags);

        int virDomainStartDirtyRateCalc(Pointer dom, int seconds, int flags);

        int virDomainListGetStats(Pointer[] doms, int stats, PointerByReference retStats, int flags);

        void virDomainStatsRecordListFree(Pointer stats);

        int virDomainMigrateToURI3(Pointer dom, String dconnuri, Pointer params, int nparams, int flags);

        int virStreamSendHole(Pointer stream, long length, int flags);

        int virGetLastErrorCode();

        String virGetLastErrorMessage();
    }

    /** The calling thread's last libvirt error code ({@code virErrorNumber}). */
    static int lastErrorCode() {
        return lib().virGetLastErrorCode();
    }

    /** The calling thread's last libvirt error message. */
    static String lastErrorMessage() {
        return lib().virGetLastErrorMessage();
    }

    /**
     * A typed parameter to send: {@code value} is a String (type 7), a Long (type 4, unsigned long long) or an
     * Integer (type 1).
     *
     * @param name  libvirt's parameter name, e.g. {@code migrate_uri}
     * @param value the value
     */
    record Param(String name, Object value) {
    }

    private static volatile Lib lib;

    private LibvirtNative() {
    }

    static Lib lib() {
        Lib l = lib;
        if (l == null) {
            synchronized (LibvirtNative.class) {
                if (lib == null) {
                    lib = Native.load("virt", Lib.class);
                }
                l = lib;
            }
        }
        return l;
    }

    /** Job statistics of a domain: the running job ({@code flags=0}) or the last completed one. */
    static Map<String, Object> jobStats(Domain dom, int flags) {
        IntByReference type = new IntByReference();
        IntByReference n = new IntByReference();
        PointerByReference params = new PointerByReference();
        if (lib().virDomainGetJobStats(handle(dom), type, params, n, flags) < 0) {
            return Map.of();
        }
        Map<String, Object> out = readParams(params.getValue(), n.getValue());
        if (params.getValue() != null) {
            lib().virTypedParamsFree(params.getValue(), n.getValue());
        }
        out.put("type", type.getValue());
        return out;
    }

    /**
     * {@code virConnectCompareHypervisorCPU}: 2 superset, 1 identical, 0 incompatible, -1 error (e.g. the driver
     * does not support it).
     */
    static int compareHypervisorCpu(Connect conn, String emulator, String arch, String machine, String virtType,
            String cpuXml) {
        return lib().virConnectCompareHypervisorCPU(handle(conn), emulator, arch, machine, virtType, cpuXml, 0);
    }

    /**
     * {@code virDomainMigrateToURI3}: peer-to-peer migration (the source daemon connects to {@code dconnuri}),
     * which libvirt-java does not bind and {@code virDomainMigrate3} refuses. Returns 0 on success, -1 on error
     * (then {@link #lastErrorCode()} and {@link #lastErrorMessage()} of the same thread tell why).
     */
    static int migrateToUri3(Domain dom, String dconnuri, java.util.List<Param> params, long flags) {
        com.sun.jna.Memory block = new com.sun.jna.Memory((long) TYPED_PARAM_SIZE * Math.max(1, params.size()));
        block.clear();
        java.util.List<com.sun.jna.Memory> keepAlive = new java.util.ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Pointer e = block.share((long) i * TYPED_PARAM_SIZE);
            byte[] name = params.get(i).name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            e.write(0, name, 0, Math.min(name.length, 79));
            Object v = params.get(i).value();
            if (v instanceof String str) {
                com.sun.jna.Memory m = new com.sun.jna.Memory(
                        str.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L);
                m.setString(0, str, "UTF-8");
                keepAlive.add(m);
                e.setInt(80, 7);
                e.setPointer(VALUE_OFFSET, m);
            } else if (v instanceof Long l) {
                e.setInt(80, 4);
                e.setLong(VALUE_OFFSET, l);
            } else {
                e.setInt(80, 1);
                e.setInt(VALUE_OFFSET, ((Number) v).intValue());
            }
        }
        int r = lib().virDomainMigrateToURI3(handle(dom), dconnuri, block, params.size(), (int) flags);
        keepAlive.clear();
        return r;
    }

    /**
     * {@code virStreamSendHole}: tells a sparse upload stream ({@code VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM}) that the
     * next {@code length} bytes are a hole, which the target skips instead of writing zeros. 0 on success, -1 on error.
     */
    static int streamSendHole(org.libvirt.Stream stream, long length) {
        return lib().virStreamSendHole(handle(stream), length, 0);
    }

    static int startPostCopy(Domain dom) {
        return lib().virDomainMigrateStartPostCopy(handle(dom), 0);
    }

    static int startDirtyRateCalc(Domain dom, int seconds) {
        return lib().virDomainStartDirtyRateCalc(handle(dom), seconds, 0);
    }

    /** The domain's statistics of the given groups ({@code VIR_DOMAIN_STATS_*}), e.g. {@code dirtyrate.*}. */
    static Map<String, Object> domainStats(Domain dom, int stats) {
        PointerByReference ret = new PointerByReference();
        int count = lib().virDomainListGetStats(new Pointer[] {handle(dom), null}, stats, ret, 0);
        if (count <= 0 || ret.getValue() == null) {
            return Map.of();
        }
        try {
            Pointer record = ret.getValue().getPointer(0); // virDomainStatsRecord {dom; params; nparams}
            return readParams(record.getPointer(Native.POINTER_SIZE), record.getInt(2L * Native.POINTER_SIZE));
        } finally {
            lib().virDomainStatsRecordListFree(ret.getValue());
        }
    }

    private static Map<String, Object> readParams(Pointer p, int n) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; p != null && i < n; i++) {
            Pointer e = p.share((long) i * TYPED_PARAM_SIZE);
            String name = e.getString(0);
            Object value = switch (e.getInt(80)) {
                case 1, 2 -> (long) e.getInt(VALUE_OFFSET);
                case 3, 4 -> e.getLong(VALUE_OFFSET);
                case 5 -> e.getDouble(VALUE_OFFSET);
                case 6 -> e.getByte(VALUE_OFFSET) != 0;
                case 7 -> e.getPointer(VALUE_OFFSET) == null ? null : e.getPointer(VALUE_OFFSET).getString(0);
                default -> null;
            };
            out.put(name, value);
        }
        return out;
    }

    private static Pointer handle(Object libvirtObject) {
        Class<?> type = libvirtObject instanceof Connect ? Connect.class
                : libvirtObject instanceof org.libvirt.Stream ? org.libvirt.Stream.class : Domain.class;
        String field = type == Connect.class ? "vcp" : type == Domain.class ? "vdp" : "vsp";
        try {
            Field f = type.getDeclaredField(field);
            f.setAccessible(true);
            return ((PointerType) f.get(libvirtObject)).getPointer();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("libvirt-java " + libvirtObject.getClass().getName()
                    + " has no handle field '" + field + "' (not 0.5.3?)", e);
        }
    }

    /** A long statistic, or {@code fallback}. */
    static long num(Map<String, Object> stats, String key, long fallback) {
        Object v = stats.get(key);
        return v instanceof Number n ? n.longValue() : fallback;
    }
}
