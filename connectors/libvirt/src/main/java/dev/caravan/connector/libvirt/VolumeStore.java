package dev.caravan.connector.libvirt;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ByteRange;
import dev.caravan.api.store.ObjectInfo;
import dev.caravan.api.store.ObjectKeys;
import dev.caravan.api.store.ObjectStore;
import dev.caravan.api.store.PutRequest;
import dev.caravan.api.store.StoreFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.w3c.dom.Element;

/**
 * The volumes of one libvirt storage pool as an {@link ObjectStore}: key = volume name, bytes = the volume's file
 * as libvirt streams it ({@code virStorageVolDownload} / {@code Upload}), so a qcow2 image travels as its qcow2
 * file, whatever host it is on. Thread-safe (libvirt connections are).
 *
 * <p>Puts create the volume (raw, sized to the data) and upload into it; a put that fails deletes the volume, so no
 * partial volume survives a failure. Volumes cannot be renamed, so a volume being uploaded is visible under its
 * final name while the upload runs: {@link StoreFeatures#atomicPut()} is declared true on that basis (the cold
 * migration defines the domain only after every volume is complete and verified).
 */
final class VolumeStore implements ObjectStore {
    private static final int CHUNK = 1 << 20;

    private final String uri;
    private final Connect conn;
    private final String poolName;
    private final boolean ownsConnection;

    VolumeStore(String uri, Connect conn, String poolName, boolean ownsConnection) {
        this.uri = uri + "#" + poolName;
        this.conn = conn;
        this.poolName = poolName;
        this.ownsConnection = ownsConnection;
        pool(); // fail fast on a missing pool
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public StoreFeatures features() {
        return new StoreFeatures(Set.of(), Duration.ofSeconds(1), false, false, true, false);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) {
        StoragePool pool = pool();
        try {
            pool.refresh(0);
            String[] names = pool.listVolumes();
            return Arrays.stream(names).filter(n -> n.startsWith(prefix == null ? "" : prefix))
                    .sorted(ObjectKeys.ORDER).map(this::stat).flatMap(Optional::stream);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(e, "listing pool " + poolName);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.requireSafe(key);
        try {
            StorageVol vol = pool().storageVolLookupByName(key);
            Element root = DomainXml.document(vol.getXMLDesc(0)).getDocumentElement();
            Element target = DomainXml.child(root, "target");
            long physical = size(DomainXml.child(root, "physical"));
            if (physical < 0) {
                physical = vol.getInfo().capacity;
            }
            Instant mtime = null;
            Element ts = DomainXml.child(target, "timestamps");
            String m = DomainXml.text(DomainXml.child(ts, "mtime"));
            if (m != null) {
                String[] parts = m.split("\\.");
                mtime = Instant.ofEpochSecond(Long.parseLong(parts[0]),
                        parts.length > 1 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0);
            }
            return Optional.of(ObjectInfo.of(key, physical, mtime));
        } catch (LibvirtException e) {
            MigrationException me = LibvirtErrors.translate(e, "looking up volume " + key + " in pool " + poolName);
            if (me.kind() == dev.caravan.api.error.ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw me;
        }
    }

    @Override
    public InputStream open(String key, ByteRange range) {
        ObjectKeys.requireSafe(key);
        try {
            StorageVol vol = volume(key);
            org.libvirt.Stream stream = conn.streamNew(0);
            long length = range.length() < 0 ? 0 : range.length();
            vol.download(stream, range.offset(), length, 0);
            return new VolumeInputStream(stream, key);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(e, "downloading volume " + key + " of pool " + poolName);
        }
    }

    @Override
    public ObjectInfo put(String key, InputStream data, PutRequest request) {
        ObjectKeys.requireSafe(key);
        delete(key);
        StorageVol vol;
        try {
            long capacity = Math.max(0, request.size());
            vol = pool().storageVolCreateXML("<volume><name>" + xmlEscape(key) + "</name><capacity unit='bytes'>"
                    + capacity + "</capacity><allocation unit='bytes'>0</allocation><target><format type='raw'/>"
                    + "</target></volume>", 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(e, "creating volume " + key + " in pool " + poolName);
        }
        org.libvirt.Stream stream = null;
        try {
            stream = conn.streamNew(0);
            vol.upload(stream, 0, 0, 0);
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = data.readNBytes(buf, 0, buf.length)) > 0) {
                byte[] chunk = n == buf.length ? buf : Arrays.copyOf(buf, n);
                int off = 0;
                while (off < n) {
                    int sent = stream.send(off == 0 ? chunk : Arrays.copyOfRange(chunk, off, n));
                    if (sent <= 0) {
                        throw MigrationException.transientError("libvirt stream refused data for " + key, null);
                    }
                    off += sent;
                }
            }
            stream.finish();
            stream = null;
        } catch (LibvirtException e) {
            abortQuietly(stream);
            deleteQuietly(vol);
            throw LibvirtErrors.translate(e, "uploading volume " + key + " to pool " + poolName);
        } catch (IOException e) {
            abortQuietly(stream);
            deleteQuietly(vol);
            throw MigrationException.transientError("reading the data for volume " + key + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abortQuietly(stream);
            deleteQuietly(vol);
            throw e;
        }
        return stat(key).orElseThrow(() -> MigrationException.transientError("volume " + key
                + " vanished after upload", null));
    }

    @Override
    public void delete(String key) {
        ObjectKeys.requireSafe(key);
        try {
            pool().storageVolLookupByName(key).delete(0);
        } catch (LibvirtException e) {
            MigrationException me = LibvirtErrors.translate(e, "deleting volume " + key + " of pool " + poolName);
            if (me.kind() != dev.caravan.api.error.ErrorKind.NOT_FOUND) {
                throw me;
            }
        }
    }

    @Override
    public Optional<Long> freeSpace() {
        try {
            return Optional.of(pool().getInfo().available);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(e, "reading pool " + poolName);
        }
    }

    @Override
    public void close() {
        if (ownsConnection) {
            try {
                conn.close();
            } catch (LibvirtException ignored) {
                // closing a dead connection
            }
        }
    }

    private StoragePool pool() {
        try {
            return conn.storagePoolLookupByName(poolName);
        } catch (LibvirtException e) {
            throw LibvirtErrors.translate(e, "storage pool '" + poolName + "'");
        }
    }

    private StorageVol volume(String key) throws LibvirtException {
        StoragePool pool = pool();
        try {
            return pool.storageVolLookupByName(key);
        } catch (LibvirtException e) {
            pool.refresh(0); // a file created outside libvirt is known after a refresh
            return pool.storageVolLookupByName(key);
        }
    }

    private static long size(Element e) {
        return e == null ? -1 : DomainXml.memory(withBytesDefault(e));
    }

    private static Element withBytesDefault(Element e) {
        if (!e.hasAttribute("unit")) {
            e.setAttribute("unit", "bytes");
        }
        return e;
    }

    static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }

    private static void abortQuietly(org.libvirt.Stream s) {
        if (s != null) {
            try {
                s.abort();
            } catch (LibvirtException ignored) {
                // the stream is dead anyway
            }
        }
    }

    private static void deleteQuietly(StorageVol vol) {
        try {
            vol.delete(0);
        } catch (LibvirtException ignored) {
            // the next put replaces it
        }
    }

    /** Reads a libvirt download stream; closing before the end aborts the transfer. */
    private static final class VolumeInputStream extends InputStream {
        private final org.libvirt.Stream stream;
        private final String key;
        private final byte[] one = new byte[1];
        private boolean eof;
        private boolean closed;

        VolumeInputStream(org.libvirt.Stream stream, String key) {
            this.stream = stream;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (eof || len == 0) {
                return eof ? -1 : 0;
            }
            try {
                byte[] buf = off == 0 && len == b.length ? b : new byte[Math.min(len, CHUNK)];
                int n = stream.receive(buf);
                if (n <= 0) {
                    eof = true;
                    return -1;
                }
                if (buf != b) {
                    System.arraycopy(buf, 0, b, off, n);
                }
                return n;
            } catch (LibvirtException e) {
                throw new IOException("reading volume " + key + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (eof) {
                    stream.finish();
                } else {
                    stream.abort();
                }
            } catch (LibvirtException e) {
                throw new IOException("closing the stream of volume " + key + ": " + e.getMessage(), e);
            }
        }
    }
}
