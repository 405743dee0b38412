/** Caravan SPI: verify. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.verify;
