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
import java.nio.ByteBuffer;
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
 * <p>Both streams are sparse: a download asks the host to send holes as holes (they reach the reader as zeros, so
 * the bytes and their digest are the volume's), and a put of known size sends every all-zero 64 KiB block as a
 * hole, so sparse images stay sparse. Each stream is read ahead in a thread of its own ({@link ReadAhead}), so
 * receiving, the caller's hashing and sending overlap.
 *
 * <p>Puts create the volume (raw, sized to the data) and upload into it; a put that fails deletes the volume, so no
 * partial volume survives a failure. Volumes cannot be renamed, so a volume being uploaded is visible under its
 * final name while the upload runs: {@link StoreFeatures#atomicPut()} is declared true on that basis (the cold
 * migration defines the domain only after every volume is complete and verified).
 */
final class VolumeStore implements ObjectStore {
    private static final int CHUNK = 1 << 20;
    /** Chunks read ahead per stream: download, hashing and upload overlap with this much memory per direction. */
    private static final int DEPTH = 4;
    /** {@code VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM} / {@code VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM}. */
    private static final int SPARSE_STREAM = 1;
    /** Zeros are sent as holes in runs of whole blocks of this size (a qcow2 cluster; a multiple of 4 KiB pages). */
    private static final int HOLE_BLOCK = 64 << 10;
    private static final byte[] ZEROS = new byte[HOLE_BLOCK];

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
            PoolRefresh.refresh(pool);
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
            // sparse: the source host sends holes as holes (no zeros over the connection) and libvirt hands them
            // to the plain receive below as zeros, so the bytes (and their digest) are the volume's, hole or not
            vol.download(stream, range.offset(), length, SPARSE_STREAM);
            // received ahead in a thread of its own: the reader's hashing overlaps with libvirt's sending
            return new ReadAhead(new VolumeInputStream(stream, key), CHUNK, DEPTH, true, "caravan-volume-get");
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
        // the next chunks of the data (and so the caller's reading and hashing of them) come in while this thread
        // sends the current one to libvirt
        // the volume is created at its final size, full of zeros: runs of zero blocks need not be written, so the
        // upload is sparse (holes stay holes on the target) when that size is known
        boolean sparse = request.size() >= 0;
        try (ReadAhead chunks = new ReadAhead(data, CHUNK, DEPTH, false, "caravan-volume-put")) {
            stream = conn.streamNew(0);
            vol.upload(stream, 0, 0, sparse ? SPARSE_STREAM : 0);
            long hole = 0;
            for (ByteBuffer chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                if (sparse) {
                    hole = sendSparse(stream, chunk.array(), chunk.remaining(), hole, key);
                } else {
                    send(stream, chunk, key);
                }
            }
            sendHole(stream, hole, key);
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

    /**
     * Sends the first {@code n} bytes of {@code a} to a sparse upload: whole zero blocks join the pending hole, the
     * rest goes as data (after the pending hole). Returns the hole still pending at the end of the chunk.
     */
    private static long sendSparse(org.libvirt.Stream stream, byte[] a, int n, long hole, String key)
            throws LibvirtException {
        long pending = hole;
        int dataFrom = -1;
        for (int off = 0; off < n; off += HOLE_BLOCK) {
            int len = Math.min(HOLE_BLOCK, n - off);
            if (Arrays.mismatch(a, off, off + len, ZEROS, 0, len) < 0) {
                if (dataFrom >= 0) {
                    send(stream, slice(a, dataFrom, off), key);
                    dataFrom = -1;
                }
                pending += len;
            } else if (dataFrom < 0) {
                pending = sendHole(stream, pending, key);
                dataFrom = off;
            }
        }
        if (dataFrom >= 0) {
            send(stream, slice(a, dataFrom, n), key);
        }
        return pending;
    }

    /** The bytes {@code [from, to)} of {@code a} as a buffer at position 0 of its own array (what JNA passes). */
    private static ByteBuffer slice(byte[] a, int from, int to) {
        return from == 0 && to == a.length ? ByteBuffer.wrap(a) : ByteBuffer.wrap(Arrays.copyOfRange(a, from, to));
    }

    private static void send(org.libvirt.Stream stream, ByteBuffer data, String key) throws LibvirtException {
        try {
            stream.write(data); // sends it all (libvirt-java loops over partial sends)
        } catch (IOException e) {
            if (e.getCause() instanceof LibvirtException le) {
                throw le;
            }
            throw MigrationException.transientError("libvirt stream refused data for " + key + ": "
                    + e.getMessage(), e);
        }
    }

    /** Sends a pending hole (none when {@code length} is 0); returns 0, the hole then pending. */
    private static long sendHole(org.libvirt.Stream stream, long length, String key) {
        if (length > 0 && LibvirtNative.streamSendHole(stream, length) < 0) {
            String message = LibvirtNative.lastErrorMessage();
            throw new MigrationException(LibvirtErrors.kindOf(LibvirtErrors.number(LibvirtNative.lastErrorCode()),
                    message), "sending a hole of " + length + " bytes in volume " + key + ": " + message);
        }
        return 0;
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
            PoolRefresh.refresh(pool); // a file created outside libvirt is known after a refresh
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
        /** libvirt hands out stream data in messages of at most 256 KiB: one message per receive. */
        private static final int PACKET = 256 << 10;

        private final org.libvirt.Stream stream;
        private final String key;
        private final byte[] one = new byte[1];
        // one reused receive buffer: JNA copies the whole array in and out of each call, so it is kept packet-sized
        private final byte[] packet = new byte[PACKET];
        private int pos;
        private int limit;
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
            if (len == 0) {
                return 0;
            }
            if (pos == limit) {
                if (eof) {
                    return -1;
                }
                try {
                    int n = stream.receive(packet);
                    if (n <= 0) {
                        eof = true;
                        return -1;
                    }
                    pos = 0;
                    limit = n;
                } catch (LibvirtException e) {
                    throw new IOException("reading volume " + key + ": " + e.getMessage(), e);
                }
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(packet, pos, b, off, n);
            pos += n;
            return n;
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
