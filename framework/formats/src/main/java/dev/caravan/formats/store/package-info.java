/**
 * Records as objects of any {@link dev.caravan.api.store.ObjectStore}: a record source over the objects matching
 * a glob, a record sink that writes rolling part files and publishes them atomically on commit, and
 * {@link dev.caravan.formats.store.FormatConversion} (store bytes -> records -> store bytes) with its sample mode.
 */
package dev.caravan.formats.store;
