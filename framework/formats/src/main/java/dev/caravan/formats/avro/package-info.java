/** Avro object container files: schema from the file or generated from ours, logical types, pure-Java codecs. */
package dev.caravan.formats.avro;
