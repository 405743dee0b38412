/**
 * The Caravan SPI: small interfaces that connectors implement and the engine uses. Depends on the JDK only.
 */
package dev.caravan.api;
