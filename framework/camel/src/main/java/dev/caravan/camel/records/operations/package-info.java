/** The operations of the {@code caravan-records:} producer, one small class each. */
package dev.caravan.camel.records.operations;
