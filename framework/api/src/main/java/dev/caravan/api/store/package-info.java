/** Caravan SPI: store. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.store;
