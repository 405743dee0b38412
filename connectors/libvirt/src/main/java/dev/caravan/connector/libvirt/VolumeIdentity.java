package dev.caravan.connector.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.w3c.dom.Element;

/**
 * Whether two hosts see the same file at a path: the volume each host's pools hold there, compared by its key,
 * capacity and change time (a copy cannot keep its ctime). Only meaningful while nothing writes the file: a running
 * guest's writes move the change time between the two reads.
 */
final class VolumeIdentity {
    private VolumeIdentity() {
    }

    /** Whether {@code a} and {@code b} both hold a volume at {@code path}, and it is one file. */
    static boolean sameFile(Connect a, Connect b, String path) throws LibvirtException {
        StorageVol here = lookupByPath(a, path);
        StorageVol there = here == null ? null : lookupByPath(b, path);
        return there != null && identity(here).equals(identity(there));
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

    /** What identifies a file across hosts: its key, sizes and change time (a copy cannot keep its ctime). */
    static String identity(StorageVol vol) throws LibvirtException {
        Element root = DomainXml.document(vol.getXMLDesc(0)).getDocumentElement();
        Element ts = DomainXml.child(DomainXml.child(root, "target"), "timestamps");
        return DomainXml.text(DomainXml.child(root, "key")) + " capacity=" + DomainXml.text(DomainXml.child(root,
                "capacity")) + " ctime=" + DomainXml.text(DomainXml.child(ts, "ctime"));
    }
}
