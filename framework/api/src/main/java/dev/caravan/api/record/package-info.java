/** Caravan SPI: record. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.record;
