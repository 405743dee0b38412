/** Caravan SPI: config. Plain Java, no Camel and no vendor SDK. */
package dev.caravan.api.config;
