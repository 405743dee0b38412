/** Caravan SPI: vm. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.vm;
