package dev.caravan.api.vm;

/**
 * A disk of a domain, with where its storage lives.
 *
 * @param target     guest device name, e.g. {@code vda}
 * @param device     {@code disk}, {@code cdrom}, {@code floppy} or {@code lun}
 * @param type       source type: {@code file}, {@code block}, {@code network}, {@code volume}
 * @param source     host path, network name or {@code pool/volume}; {@code null} for an empty drive
 * @param format     image format, e.g. {@code qcow2}, {@code raw}, or {@code null}
 * @param capacity   virtual size in bytes, or {@code -1} when unknown
 * @param allocation bytes the image occupies on its storage, or {@code -1} when unknown
 * @param pool       storage pool holding it on its host, or {@code null}
 * @param volume     volume name in that pool, or {@code null}
 * @param readOnly   read-only (not copied by a shared-nothing migration)
 * @param shared     on storage shared between hosts: a network disk, a {@code shareable} disk, or a pool of a
 *                   shared type ({@code netfs}, {@code rbd}, {@code iscsi}, {@code gluster}, ...)
 */
public record VmDisk(String target, String device, String type, String source, String format, long capacity,
        long allocation, String pool, String volume, boolean readOnly, boolean shared) {

    /** Whether this disk holds data a migration must carry (a writable disk with a source). */
    public boolean carriesData() {
        return source != null && !readOnly && ("disk".equals(device) || "lun".equals(device));
    }
}
