package dev.caravan.connector.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typeMapping to a DECIMAL narrower than the values: MariaDB rounded 1.2345 to 1.23 without a word (only
 * verification noticed), PostgreSQL did the same with binary COPY and with INSERTs. Values that do not fit the
 * declared precision and scale exactly are rejects, row by row.
 */
class NarrowDecimalIT {
    @TempDir
    Path dir;

    @Test
    void mariaDbRejectsWhatItWouldRound() {
        NarrowDecimals.loadAndCheck(dir, TestDb.mariadb("narrow"));
    }

    @Test
    void postgresRejectsWhatItWouldRoundWithCopyAndWithInserts() {
        NarrowDecimals.loadAndCheck(dir.resolve("copy"), TestDb.postgres("narrow"));
        NarrowDecimals.loadAndCheck(dir.resolve("insert"), TestDb.postgres("narrow"),
                java.util.Map.of("writeMethod", "insert"));
    }
}
