package dev.caravan.connector.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** SQLite's native library comes from the user's cache, and the driver works with it. */
class SqliteNativeLibraryTest {
    @Test
    void theDriverLoadsTheCachedCopyOfItsNativeLibrary() throws Exception {
        try (Connection c = new SqliteDialect().driver().connect("jdbc:sqlite::memory:", new Properties());
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isNotBlank();
        }
        String dir = System.getProperty("org.sqlite.lib.path");
        assertThat(dir).as("set by the dialect unless the user set it").isNotNull();
        Path lib = Path.of(dir, System.getProperty("org.sqlite.lib.name"));
        assertThat(lib).isRegularFile();
        long inJar;
        String folder = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
        try (var in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(folder + "/"
                + org.sqlite.util.LibraryLoaderUtil.getNativeLibName())) {
            inJar = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(Files.size(lib)).isEqualTo(inJar);
        assertThat(org.sqlite.SQLiteJDBCLoader.isNativeMode()).isTrue();
    }

    @Test
    void theCheapPlatformCheckAgreesWithTheDriversOwn() {
        String driver = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
        String cheap = SqliteNativeLibrary.linuxFolder();
        if ("Linux".equals(System.getProperty("os.name"))) {
            assertThat(cheap).isEqualTo((driver.startsWith("/") ? "" : "/") + driver);
        } else {
            assertThat(cheap).as("only Linux takes the cheap way").isNull();
        }
    }
}
