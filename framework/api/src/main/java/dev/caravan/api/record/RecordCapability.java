package dev.caravan.api.record;

/**
 * Marker of an optional capability of a {@link RecordSource} or {@link RecordSink}, found through their
 * {@code capability(Class)} method. Each capability is one small interface whose Javadoc names the fallback the
 * caller uses when a source or sink lacks it.
 */
public interface RecordCapability {
}
