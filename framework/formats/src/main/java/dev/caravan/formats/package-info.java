/**
 * Record formats: {@link dev.caravan.api.format.RecordCodec}s for CSV, JSON Lines, Avro and Parquet, the shared
 * value and type rules they follow ({@link dev.caravan.formats.Values}, {@link dev.caravan.formats.TextValues},
 * {@link dev.caravan.formats.TypeMappings}), schema mapping ({@code mapping}) and adapters that read and write
 * records as objects of any {@link dev.caravan.api.store.ObjectStore} ({@code store}).
 *
 * <p>Every decoder streams: memory stays bounded whatever the size of the input (Parquet keeps one row group and
 * the footer). Every encoder is open -> write* -> commit | abort. Errors are
 * {@link dev.caravan.api.error.MigrationException}s; bad data is a {@link dev.caravan.formats.DataError}
 * ({@code USER_DATA}) that names the input, the line or record and the column.
 */
package dev.caravan.formats;
