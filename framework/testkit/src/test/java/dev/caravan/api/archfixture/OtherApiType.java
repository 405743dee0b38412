package dev.caravan.api.archfixture;

/** Fixture: an SPI record with arrays of primitives and of JDK types. */
public record OtherApiType(int[] numbers, String[] names) {
}
