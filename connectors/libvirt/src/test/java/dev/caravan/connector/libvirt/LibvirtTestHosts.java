package dev.caravan.connector.libvirt;

import static org.awaitility.Awaitility.await;

import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.vm.Hypervisor;
import dev.caravan.api.vm.VmState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The two libvirt hosts of {@code scripts/servers/libvirt.sh} for the ITs of every module that moves VMs (this
 * connector's, the VM route templates', the application plans' vm steps; shared as this module's test jar): URIs,
 * the test guest (a boot sector that dirties 32 MiB of RAM and prints a hex pass counter on COM1, so a live move shows
 * as a counter that continues on the target without a second BOOT line), its serial log, disk digests. Coordinates come
 * from system properties or the environment, with the script's defaults: {@code caravan.libvirt.dir} /
 * {@code CARAVAN_LIBVIRT_DIR}, {@code libvirt.src} / {@code LIBVIRT_SRC_URI}, {@code libvirt.dst} /
 * {@code LIBVIRT_DST_URI}.
 */
public final class LibvirtTestHosts {
    public static final Path DIR = Path.of(setting("caravan.libvirt.dir", "CARAVAN_LIBVIRT_DIR",
            "/tmp/caravan-libvirt"));
    public static final String A = setting("libvirt.src", "LIBVIRT_SRC_URI",
            "qemu+unix:///system?socket=" + DIR + "/A/run/libvirt/libvirt-sock");
    public static final String B = setting("libvirt.dst", "LIBVIRT_DST_URI",
            "qemu+unix:///system?socket=" + DIR + "/B/run/libvirt/libvirt-sock");
    /** Memory goes over loopback (the hosts' names resolve to this machine anyway; this is explicit). */
    public static final String MIGRATE_URI = "tcp://127.0.0.1";

    private LibvirtTestHosts() {
    }

    public static Hypervisor open(String uri) {
        return new LibvirtHypervisorProvider().open(uri, new LibvirtHypervisorProvider().options()
                .resolve(Map.of("pollInterval", "100ms")));
    }

    public static String hostDir(String uri) {
        return uri.equals(A) ? "A" : "B";
    }

    public static String domainXml(String name, String diskPath, String cpuModel) {
        return "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>"
                + "<cpu mode='custom' match='exact' check='none'><model fallback='forbid'>" + cpuModel + "</model></cpu>"
                + "<clock offset='utc'/><on_poweroff>destroy</on_poweroff>"
                + "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>"
                + "<source file='" + diskPath + "'/><target dev='vda' bus='virtio'/></disk>"
                + "<serial type='file'><source path='/var/log/libvirt/qemu/" + name + "-serial.log'/>"
                + "<target port='0'/></serial><memballoon model='none'/></devices></domain>";
    }

    /** Uploads the golden guest image into {@code pool} of {@code uri} as {@code volume} (through our store). */
    public static void uploadGuest(String uri, String pool, String volume) {
        try (ObjectStore store = new LibvirtPoolStoreProvider().open(uri,
                new LibvirtPoolStoreProvider().options().resolve(Map.of("pool", pool)));
                InputStream in = Files.newInputStream(DIR.resolve("guest/golden.qcow2"))) {
            store.put(volume, in, PutRequest.ofSize(Files.size(DIR.resolve("guest/golden.qcow2"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Defines and starts a guest on host A with its disk in pool images, and waits for its counter. */
    public static void startGuest(Hypervisor a, String name) {
        uploadGuest(A, "images", name + ".qcow2");
        truncateSerial("A", name);
        truncateSerial("B", name);
        a.define(domainXml(name, "/var/lib/libvirt/images/" + name + ".qcow2", "qemu64"), true);
        awaitCounter("A", name, 2);
    }

    /** A volume's file as the host's pool directory holds it (host "A" or "B"). */
    public static Path image(String host, String pool, String file) {
        return DIR.resolve(host).resolve("lib").resolve(pool).resolve(file);
    }

    public static Path serialLog(String host, String name) {
        return DIR.resolve(host).resolve("log/qemu").resolve(name + "-serial.log");
    }

    public static void truncateSerial(String host, String name) {
        try {
            Files.createDirectories(serialLog(host, name).getParent());
            Files.writeString(serialLog(host, name), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> serial(String host, String name) {
        try {
            Path p = serialLog(host, name);
            return Files.exists(p) ? Files.readAllLines(p).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The guest's pass counters printed so far (each line after the BOOT banner is one hex counter). */
    public static List<Long> counters(String host, String name) {
        return serial(host, name).stream().filter(s -> s.matches("[0-9a-f]{8}")).map(s -> Long.parseLong(s, 16))
                .toList();
    }

    public static long lastCounter(String host, String name) {
        List<Long> c = counters(host, name);
        return c.get(c.size() - 1);
    }

    /** Waits until the guest printed {@code lines} counters on {@code host}; returns the last. */
    public static long awaitCounter(String host, String name, int lines) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> counters(host, name).size() >= lines);
        return lastCounter(host, name);
    }

    /** The domain's state on {@code h}, or null when it is not defined there. */
    public static VmState state(Hypervisor h, String name) {
        return h.find(name).map(r -> r.state()).orElse(null);
    }

    public static void awaitState(Hypervisor h, String name, VmState state) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> h.find(name).map(r -> r.state() == state).orElse(false));
    }

    /** Destroys and undefines {@code name} on both hosts and deletes its volumes: a clean slate. */
    public static void cleanup(String name) {
        for (String uri : List.of(A, B)) {
            try (Hypervisor h = open(uri)) {
                h.find(name).ifPresent(r -> {
                    if (r.state() != VmState.SHUT_OFF) {
                        h.shutdown(name, Duration.ZERO, true);
                    }
                    try {
                        h.find(name).ifPresent(x -> h.undefine(name));
                    } catch (dev.caravan.api.error.MigrationException e) {
                        // a transient domain (one a migration left undefined) disappears as its destroy ends
                        if (e.kind() != dev.caravan.api.error.ErrorKind.NOT_FOUND) {
                            throw e;
                        }
                    }
                });
                for (String pool : List.of("images", "pool2", "shared")) {
                    try (ObjectStore s = new LibvirtPoolStoreProvider().open(uri,
                            new LibvirtPoolStoreProvider().options().resolve(Map.of("pool", pool)))) {
                        s.list(name).map(o -> o.key()).toList().forEach(s::delete);
                    }
                }
            }
        }
    }

    /** SHA-256 of what the guest sees on a disk image (qemu-img convert to raw; works on images in use). */
    public static String guestDigest(Path image) {
        try {
            Path raw = Files.createTempFile("caravan-disk", ".raw");
            try {
                Process p = new ProcessBuilder("qemu-img", "convert", "-U", "-O", "raw", image.toString(),
                        raw.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("qemu-img convert " + image + ": " + out);
                }
                return sha256(raw);
            } finally {
                Files.deleteIfExists(raw);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** SHA-256 of a stream, read to its end (not closed), in hex. */
    public static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String setting(String property, String env, String fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
