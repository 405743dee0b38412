package dev.caravan.core.journal;

import dev.caravan.core.testing.PostgresDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RunWarningsTest} on a PostgreSQL journal ({@code --journal jdbc:postgresql:...}): a new database per test. */
class RunWarningsPostgresIT extends RunWarningsTest {
    @RegisterExtension
    final PostgresDatabase database = new PostgresDatabase("warnings");

    @Override
    String url() {
        return database.url();
    }
}
