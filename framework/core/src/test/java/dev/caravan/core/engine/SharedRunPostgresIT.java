package dev.caravan.core.engine;

import dev.caravan.core.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SharedRunTest} on a PostgreSQL journal ({@code --journal jdbc:postgresql:...}): a new database per test. */
class SharedRunPostgresIT extends SharedRunTest {
    @RegisterExtension
    final PostgresDatabase database = new PostgresDatabase("shared");

    @Override
    String url() {
        return database.url();
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }
}
