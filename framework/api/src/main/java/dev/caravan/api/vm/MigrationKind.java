package dev.caravan.api.vm;

/** The three ways a VM or its storage moves. */
public enum MigrationKind {
    /** Running VM to another host, pre-copy (shared disk or shared nothing). */
    LIVE,
    /** Stopped VM to another host: shut down, copy disks, define, start. */
    COLD,
    /** A running VM's disk to another path or pool of the same host. */
    STORAGE
}
