package dev.caravan.connector.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load=schema} then {@code load=data} into PostgreSQL and MariaDB: the structure of a full migration without
 * rows, verified by structure, then the rows into it (see {@link LoadScenario}).
 */
class LoadOptionIT {
    @TempDir
    Path dir;

    @Test
    void schemaOnlyThenDataOnlyIntoPostgres() {
        LoadScenario.schemaThenData(dir, shop(), TestDb.postgres("staged"), TestDb.postgres("full"));
    }

    @Test
    void schemaOnlyThenDataOnlyIntoMariaDb() {
        LoadScenario.schemaThenData(dir, shop(), TestDb.mariadb("staged"), TestDb.mariadb("full"));
    }

    private TestDb shop() {
        TestDb source = TestDb.sqlite(dir, "shop");
        ShopFixture.createSqlite(source);
        return source;
    }
}
