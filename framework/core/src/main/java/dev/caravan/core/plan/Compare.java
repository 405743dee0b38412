package dev.caravan.core.plan;

/** How the planner decides that a target object already matches its source. */
public enum Compare {
    /** Same size and same modification time (within the coarser precision of the two stores); rclone's default. */
    SIZE_MTIME,
    /** Same size only. */
    SIZE,
    /** Same size and same SHA-256 (from stored hashes, else computed by reading both sides). */
    CHECKSUM
}
