/** Caravan SPI: format. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.format;
