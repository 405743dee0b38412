package dev.caravan.core.engine;

/** Receives progress snapshots (at most once per {@link EngineSettings#progressInterval()} and once at the end). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(Progress progress);
}
