package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.journal.RunOutcome;
import dev.caravan.core.records.RecordMigrationResult;
import dev.caravan.core.records.TableMigrationSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database appended into tables the target already defines keeps the target's own foreign keys and gets no second
 * copy of them: PostgreSQL named its key {@code posts_user_id_fkey}, and the source's same key was added again as
 * {@code posts_fk0} (found by the application migrations' review), as a key is recognised by what it ties, not only by
 * its name. And since those keys hold during the load, posts loads after users (it loaded side by side, and its rows
 * were rejected whenever it was done first: seen failing in full runs).
 */
class PostgresAppendKeysIT {
    @TempDir
    Path dir;

    @Test
    void aForeignKeyTheTargetHasUnderAnotherNameIsNotAddedAgain() {
        TestDb source = TestDb.sqlite(dir, "blog");
        source.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), title TEXT)",
                "INSERT INTO users VALUES (1, 'ada'), (2, 'bob')",
                // many more users than posts: loaded side by side, posts would be done before its users are there
                "WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)"
                        + " INSERT INTO users SELECT i, 'user ' || i FROM n",
                "INSERT INTO posts VALUES (10, 1, 'first'), (11, 2, 'second')");
        TestDb target = TestDb.postgres("keys");
        target.exec("CREATE TABLE users (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), title text)");

        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("mode", "append")).build());

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT title FROM posts ORDER BY id")).containsExactly("first", "second");
        assertThat(target.column("SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY 1"))
                .as("the target's own key, once").containsExactly("posts_user_id_fkey");
    }

    @Test
    void tablesLoadAfterTheTablesTheTargetsOwnKeysReferenceWhenTheSourceDeclaresNone() {
        TestDb source = TargetForeignKeyOrderTest.sourceWithoutKeys(dir);
        TestDb target = TestDb.postgres("keys");
        target.exec("CREATE TABLE users (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), title text)");

        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("load", "data")).build());

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(target.column("SELECT title FROM posts ORDER BY id")).containsExactly("first", "second");
    }
}
