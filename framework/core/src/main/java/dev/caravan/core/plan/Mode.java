package dev.caravan.core.plan;

/** What a migration does with the difference between source and target. */
public enum Mode {
    /** Copy new and changed objects; never delete anything on the target. */
    COPY,
    /** Copy new and changed objects, then delete target objects missing from the source (guarded by maxDelete). */
    SYNC,
    /** Copy new and changed objects, then delete each source object once its copy is verified. */
    MOVE
}
