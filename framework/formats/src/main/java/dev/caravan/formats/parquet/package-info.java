/**
 * Parquet without a Hadoop file system: our own WriteSupport and record materializer over parquet-java's
 * OutputFile/InputFile, pure-Java compression, logical types as for Avro.
 */
package dev.caravan.formats.parquet;
