package dev.caravan.core.engine;

import dev.caravan.core.testing.PostgresDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SupersededUploadsTest} on a PostgreSQL journal ({@code --journal jdbc:postgresql:...}): a new database per test. */
class SupersededUploadsPostgresIT extends SupersededUploadsTest {
    @RegisterExtension
    final PostgresDatabase database = new PostgresDatabase("superseded");

    @Override
    String url() {
        return database.url();
    }
}
