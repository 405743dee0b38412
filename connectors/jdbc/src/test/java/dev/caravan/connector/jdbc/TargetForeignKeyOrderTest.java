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
 * Tables loaded into a target whose own foreign keys the source does not declare (a legacy source without keys, a
 * schema the application created) load after the tables those keys reference: the order comes from the target's
 * keys too, not only from the source's. Before, such tables loaded side by side and the child rows that arrived
 * before their parents were rejected.
 */
class TargetForeignKeyOrderTest {
    @TempDir
    Path dir;

    @Test
    void aDataOnlyLoadFollowsTheForeignKeysOfTheTargetOnly() {
        TestDb source = sourceWithoutKeys(dir);
        TestDb target = TestDb.h2(dir, "keyed");
        target.exec("CREATE TABLE \"users\" (\"id\" BIGINT PRIMARY KEY, \"name\" VARCHAR(100))",
                "CREATE TABLE \"posts\" (\"id\" BIGINT PRIMARY KEY, \"user_id\" BIGINT REFERENCES \"users\" (\"id\"),"
                        + " \"title\" VARCHAR(100))");

        RecordMigrationResult r = EngineSupport.run(dir, TableMigrationSpec.builder(source.uri(), target.uri())
                .targetOptions(Map.of("load", "data")).parallelism(8).build());

        assertThat(r.outcome()).as(EngineSupport.describe(r)).isEqualTo(RunOutcome.COMPLETE);
        assertThat(r.rejected()).isZero();
        assertThat(target.column("SELECT \"title\" FROM \"posts\" ORDER BY \"id\"")).containsExactly("first", "second");
    }

    /**
     * users and posts without a declared foreign key; many more users than posts, so that posts, loaded side by
     * side, would be done before its users are there.
     */
    static TestDb sourceWithoutKeys(Path dir) {
        TestDb source = TestDb.sqlite(dir, "legacy");
        source.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER, title TEXT)",
                "INSERT INTO users VALUES (1, 'ada'), (2, 'bob')",
                "WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)"
                        + " INSERT INTO users SELECT i, 'user ' || i FROM n",
                "INSERT INTO posts VALUES (10, 1, 'first'), (11, 2, 'second')");
        return source;
    }
}
