package dev.caravan.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** SQL errors are classified by what the runner should do, not by message. */
class JdbcErrorsTest {

    private static ErrorKind kind(String state, int code) {
        return JdbcErrors.kind(new SQLException("x", state, code));
    }

    @Test
    void sqlStateClasses() {
        assertThat(kind("23505", 0)).isEqualTo(ErrorKind.USER_DATA);
        assertThat(kind("22003", 0)).isEqualTo(ErrorKind.USER_DATA);
        assertThat(kind("22021", 0)).isEqualTo(ErrorKind.USER_DATA);
        assertThat(kind("08006", 0)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(kind("40001", 0)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(kind("40P01", 0)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(kind("57P01", 0)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(kind("53300", 0)).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(kind("53100", 0)).isEqualTo(ErrorKind.FATAL);
        assertThat(kind("42P01", 0)).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kind("3D000", 0)).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kind("42601", 0)).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(kind("28P01", 0)).isEqualTo(ErrorKind.USER_CONFIG);
        assertThat(kind("0A000", 0)).isEqualTo(ErrorKind.UNSUPPORTED);
        assertThat(kind(null, 0)).isEqualTo(ErrorKind.FATAL);
    }

    @Test
    void mariaDbVendorCodesAndDriverExceptionTypes() {
        assertThat(JdbcErrors.kind(new SQLException("Incorrect string value", "HY000", 1366)))
                .isEqualTo(ErrorKind.USER_DATA);
        assertThat(JdbcErrors.kind(new SQLException("Lock wait timeout", "HY000", 1205)))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(JdbcErrors.kind(new SQLIntegrityConstraintViolationException("dup", "23000", 1062)))
                .isEqualTo(ErrorKind.USER_DATA);
        assertThat(JdbcErrors.kind(new SQLTransientConnectionException("gone"))).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(JdbcErrors.isRowProblem(new SQLException("x", "23502"))).isTrue();
        assertThat(JdbcErrors.isRowProblem(new SQLException("x", "08001"))).isFalse();
    }

    @Test
    void sqliteResultCodes() {
        assertThat(JdbcErrors.kind(new org.sqlite.SQLiteException("busy", org.sqlite.SQLiteErrorCode.SQLITE_BUSY)))
                .isEqualTo(ErrorKind.TRANSIENT);
        assertThat(JdbcErrors.kind(new org.sqlite.SQLiteException("constraint",
                org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE))).isEqualTo(ErrorKind.USER_DATA);
        assertThat(JdbcErrors.kind(new org.sqlite.SQLiteException("full", org.sqlite.SQLiteErrorCode.SQLITE_FULL)))
                .isEqualTo(ErrorKind.FATAL);
    }

    /** Every error is one line: PostgreSQL's messages carried "\n  Position: 92" into the CLI's error line. */
    @Test
    void messagesAreOneLine() {
        var e = JdbcErrors.translate(new SQLException("ERROR: type \"bogustype\" does not exist\n  Position: 92",
                "42704"), "preparing t");
        assertThat(e.getMessage()).isEqualTo("preparing t: ERROR: type \"bogustype\" does not exist Position: 92");
    }

    @Test
    void messagesNeverShowPasswords() {
        var e = JdbcErrors.translate(new SQLException("cannot connect with password=s3cr3t", "08001"), "connecting");
        assertThat(e.getMessage()).doesNotContain("s3cr3t");
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    }
}
