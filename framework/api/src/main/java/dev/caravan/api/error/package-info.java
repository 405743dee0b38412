/** Caravan SPI: error. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.error;
