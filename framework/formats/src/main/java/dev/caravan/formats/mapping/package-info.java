/**
 * Schema mapping shared by table and format migrations: rename, cast (values that do not fit fail with a clear
 * {@link dev.caravan.formats.DataError}), drop and derived columns (constants, column copies, {@code concat(...)},
 * {@code now()}, or Java lambdas), declared in a YAML-friendly {@code Map<String,String>}.
 */
package dev.caravan.formats.mapping;
