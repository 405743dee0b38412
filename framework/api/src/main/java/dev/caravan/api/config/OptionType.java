package dev.caravan.api.config;

/** The value type of a declared option; values always travel as strings and are parsed by type. */
public enum OptionType {
    STRING, INT, LONG, BOOLEAN, DURATION, SIZE, ENUM, LIST, PASSWORD
}
