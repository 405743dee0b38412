package dev.caravan.core.journal;

import dev.caravan.core.testing.PostgresDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TaskUploadsTest} on a PostgreSQL journal ({@code --journal jdbc:postgresql:...}), so that the SQL of
 * {@code caravan_task_upload} stays portable: a new database per test.
 */
class TaskUploadsPostgresIT extends TaskUploadsTest {
    @RegisterExtension
    final PostgresDatabase database = new PostgresDatabase("uploads");

    @Override
    String url() {
        return database.url();
    }
}
