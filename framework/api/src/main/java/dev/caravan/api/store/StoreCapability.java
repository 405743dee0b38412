package dev.caravan.api.store;

/**
 * Marker of an optional store capability, found through {@link ObjectStore#capability(Class)}. Each capability
 * is one small interface whose Javadoc names the fallback the caller uses when a store lacks it.
 */
public interface StoreCapability {
}
