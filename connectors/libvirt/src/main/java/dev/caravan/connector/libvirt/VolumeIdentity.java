package dev.caravan.connector.libvirt;

import java.util.Set;
import java.util.UUID;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.w3c.dom.Element;

/**
 * Whether two hosts see the same file at a path. Neither libvirt nor a remote connection tells a file's device and
 * inode, and the volume key of a directory pool is its path, the same for a copy. So, for a volume of a pool that
 * is a directory ({@code dir}, {@code fs}, {@code netfs}): a marker, an empty volume with a unique name, is created
 * next to the file on one host and looked for on the other; only the very same directory shows it there. This holds
 * while a running guest writes the file (each write moves its change time, which an earlier comparison relied on).
 * The marker is deleted at once. Other pool types name the storage itself in their keys (an LVM volume's UUID, an RBD
 * image): equal keys and capacities are one volume. Where neither tells (no marker can be written, a key that is
 * just the path), the volumes' change times are compared too, which is only meaningful while nothing writes the file.
 */
final class VolumeIdentity {
    /** Names of the marker volumes: never a volume of a user's. */
    static final String MARKER_PREFIX = "caravan-same-file-";
    /** Pool types whose volumes are the files of one directory (the pool's target path). */
    private static final Set<String> DIRECTORY_POOLS = Set.of("dir", "fs", "netfs");

    /** How the file at a path on one host relates to the file at that path on another. */
    enum Match {
        /** One file, which both hosts see. */
        SAME,
        /** Two files. */
        DIFFERENT,
        /** No pool of the first host holds a volume at the path. */
        NOT_HERE,
        /** No pool of the second host holds a volume at the path. */
        NOT_THERE
    }

    private VolumeIdentity() {
    }

    /** Whether {@code a} and {@code b} both hold a volume at {@code path}, and it is one file. */
    static boolean sameFile(Connect a, Connect b, String path) throws LibvirtException {
        return compare(a, b, path) == Match.SAME;
    }

    /** How the volume at {@code path} on {@code a} relates to the one at that path on {@code b}. */
    static Match compare(Connect a, Connect b, String path) throws LibvirtException {
        StorageVol here = lookupByPath(a, path);
        if (here == null) {
            return Match.NOT_HERE;
        }
        StorageVol there = lookupByPath(b, path);
        if (there == null) {
            return Match.NOT_THERE;
        }
        if (!keyAndCapacity(here).equals(keyAndCapacity(there))) {
            return Match.DIFFERENT;
        }
        StoragePool pool = here.storagePoolLookupByVolume();
        String dir = directoryOf(pool);
        if (dir != null && dir.equals(parent(path))) {
            Boolean marked = markerSeen(pool, b, dir);
            if (marked != null) {
                return marked ? Match.SAME : Match.DIFFERENT;
            }
        }
        if (!path.equals(here.getKey())) {
            return Match.SAME; // a key that names the storage itself, not the path both hosts use for it
        }
        return changeTime(here).equals(changeTime(there)) ? Match.SAME : Match.DIFFERENT;
    }

    /**
     * Whether {@code b} sees a marker created in {@code pool} (a directory {@code dir}); {@code null} when no marker
     * could be created there. The marker is gone afterwards, from the pool and from {@code b}'s view of it.
     */
    private static Boolean markerSeen(StoragePool pool, Connect b, String dir) throws LibvirtException {
        String name = MARKER_PREFIX + UUID.randomUUID() + ".marker";
        StorageVol marker;
        try {
            marker = pool.storageVolCreateXML("<volume><name>" + name + "</name><capacity>0</capacity>"
                    + "<target><format type='raw'/></target></volume>", 0);
        } catch (LibvirtException e) {
            return null; // a pool this host cannot write: the change times must do
        }
        StorageVol seen = null;
        try {
            seen = lookupByPath(b, dir + "/" + name);
            return seen != null;
        } finally {
            marker.delete(0);
            if (seen != null) {
                PoolRefresh.refresh(seen.storagePoolLookupByVolume()); // b forgets the marker too
            }
        }
    }

    /** The volume at {@code path}, refreshing the pools once (a file another host created is unknown until then). */
    static StorageVol lookupByPath(Connect c, String path) throws LibvirtException {
        try {
            return c.storageVolLookupByPath(path);
        } catch (LibvirtException e) {
            for (String n : c.listStoragePools()) {
                try {
                    PoolRefresh.refresh(c.storagePoolLookupByName(n));
                } catch (LibvirtException ignored) {
                    // a pool that cannot refresh cannot hold the file either
                }
            }
        }
        try {
            return c.storageVolLookupByPath(path);
        } catch (LibvirtException e) {
            return null;
        }
    }

    /** The pool's directory when its volumes are the files of one directory, else {@code null}. */
    private static String directoryOf(StoragePool pool) throws LibvirtException {
        Element root = DomainXml.document(pool.getXMLDesc(0)).getDocumentElement();
        if (!DIRECTORY_POOLS.contains(root.getAttribute("type"))) {
            return null;
        }
        String path = DomainXml.text(DomainXml.child(DomainXml.child(root, "target"), "path"));
        return path == null ? null : path.replaceAll("/+$", "");
    }

    private static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    private static String keyAndCapacity(StorageVol vol) throws LibvirtException {
        Element root = DomainXml.document(vol.getXMLDesc(0)).getDocumentElement();
        return DomainXml.text(DomainXml.child(root, "key")) + " capacity=" + DomainXml.text(DomainXml.child(root,
                "capacity"));
    }

    private static String changeTime(StorageVol vol) throws LibvirtException {
        Element root = DomainXml.document(vol.getXMLDesc(0)).getDocumentElement();
        return String.valueOf(DomainXml.text(DomainXml.child(DomainXml.child(DomainXml.child(root, "target"),
                "timestamps"), "ctime")));
    }
}
