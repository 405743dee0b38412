/** Caravan SPI: journal. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.journal;
