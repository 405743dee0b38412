package dev.caravan.connector.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typeMapping to a DECIMAL narrower than the values: H2 rounded 1.2345 to 1.23 without a word, SQLite kept any
 * value whatever the declared type. Values that do not fit the declared precision and scale exactly are rejects.
 */
class NarrowDecimalTest {
    @TempDir
    Path dir;

    @Test
    void h2RejectsWhatItWouldRound() {
        NarrowDecimals.loadAndCheck(dir, TestDb.h2(dir, "narrow_t"));
    }

    @Test
    void sqliteRejectsWhatItsDeclaredTypeDoesNotHold() {
        NarrowDecimals.loadAndCheck(dir, TestDb.sqlite(dir, "narrow_t"));
    }
}
