/** CSV codec: RFC 4180 with configurable delimiter, quote, escape, charset and NULL string; type inference. */
package dev.caravan.formats.csv;
