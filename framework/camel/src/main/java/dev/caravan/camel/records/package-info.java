/**
 * The {@code caravan-records:} Camel component: table and record migrations (migrate, plan, verify) on the record
 * engine of the core, and format conversions of record files (convert) on the formats module.
 */
package dev.caravan.camel.records;
