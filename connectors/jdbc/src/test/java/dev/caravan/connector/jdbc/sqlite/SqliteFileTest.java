package dev.caravan.connector.jdbc.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database file is opened once per process and stays open while it is at its path (closing a descriptor would drop
 * SQLite's locks); one deleted or replaced is closed at the next open. The header gives page size, reserved bytes,
 * WAL mode and encoding; a file that is not a database is refused by name.
 */
class SqliteFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsOpenedOnceAndClosedWhenItIsGoneFromItsPath() throws Exception {
        Path a = database("a.db", "PRAGMA page_size = 8192");
        Path b = database("b.db", "PRAGMA journal_mode = WAL");
        SqliteFile first = SqliteFile.open(a); // also closes the files earlier tests deleted
        int open = SqliteFile.openFiles();
        assertThat(SqliteFile.open(dir.resolve(".").resolve("a.db"))).as("the same file by another path")
                .isSameAs(first);
        assertThat(SqliteFile.openFiles()).isEqualTo(open);
        SqliteFile.Header h = first.header();
        assertThat(h.pageSize()).isEqualTo(8192);
        assertThat(h.usableSize()).isEqualTo(8192);
        assertThat(h.wal()).isFalse();
        assertThat(h.utf8()).isTrue();
        Files.delete(a);
        SqliteFile other = SqliteFile.open(b);
        assertThat(other.header().wal()).isTrue();
        assertThat(SqliteFile.openFiles()).as("a.db closed, b.db open").isEqualTo(open);
        Path again = database("a.db", "PRAGMA page_size = 1024");
        assertThat(SqliteFile.open(again)).as("a new file at the old path").isNotSameAs(first);
        assertThat(SqliteFile.open(again).header().pageSize()).isEqualTo(1024);
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedByName() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.db"), "x".repeat(200));
        assertThatThrownBy(() -> SqliteFile.open(text).header()).isInstanceOf(IOException.class)
                .hasMessageContaining("notes.db is not a SQLite 3 database file");
    }

    private Path database(String name, String pragma) throws SQLException {
        Path p = dir.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + p); Statement st = c.createStatement()) {
            st.execute(pragma);
            st.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
        }
        return p;
    }
}
