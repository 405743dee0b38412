package dev.caravan.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.cli.CliRunnerAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan prune} on a PostgreSQL journal (the server of {@code scripts/servers/postgres.sh}): finished runs
 * beyond the retention and their task rows go, the newest record of each object stays, and a no-change rerun and a
 * verification afterwards still find every copy.
 */
class PruneOnPostgresIT {
    @TempDir
    Path dir;

    @Test
    void prunesFinishedRunsAndTheNextRunStillFindsEveryCopy() throws Exception {
        try (PgDatabase db = PgDatabase.create("prune")) {
            Path src = Files.createDirectories(dir.resolve("src"));
            String dst = "local:" + dir.resolve("dst");
            for (int run = 1; run <= 4; run++) {
                for (int i = 0; i < 10; i++) { // every file changes every night: each run copies all of them
                    Files.writeString(src.resolve("f" + i), "night " + run + " file " + i + "x".repeat(run));
                }
                var copy = CliRunnerAccess.run(in(db, "-q", "copy", "local:" + src, dst));
                assertThat(copy.code()).as(copy.toString()).isZero();
            }
            assertThat(count(db, "caravan_run")).isEqualTo(4);
            assertThat(count(db, "caravan_task")).isEqualTo(40);

            var prune = CliRunnerAccess.run(in(db, "prune", "--keep-runs", "1"));

            assertThat(prune.code()).as(prune.toString()).isZero();
            assertThat(prune.out()).contains("pruned 3 runs: 3 removed; 30 task rows");
            assertThat(count(db, "caravan_run")).isEqualTo(1);
            assertThat(count(db, "caravan_task")).as("the newest record of each file").isEqualTo(10);
            var rerun = CliRunnerAccess.run(in(db, "copy", "local:" + src, dst));
            assertThat(rerun.code()).as(rerun.toString()).isZero();
            assertThat(rerun.out()).contains("copied    0 objects").contains("10 unchanged");
            var verify = CliRunnerAccess.run(in(db, "verify", "local:" + src, dst));
            assertThat(verify.code()).as(verify.toString()).isZero();
        }
    }

    /** The arguments with this test's home and journal. */
    private String[] in(PgDatabase db, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "--home";
        all[1] = dir.resolve("home").toString();
        all[2] = "--journal";
        all[3] = db.url();
        all[4] = "--no-progress";
        System.arraycopy(args, 0, all, 5, args.length);
        return all;
    }

    private static long count(PgDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
