package dev.caravan.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.journal.RunInfo;
import dev.caravan.api.journal.TaskId;
import dev.caravan.api.journal.TaskSpec;
import dev.caravan.api.journal.TaskState;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The journal of a process whose shared embedded journal changes host ({@link H2Handover}), played by a JDBC driver
 * whose connections answer as H2 does while the host process exits ("Database is already closed", 90121): the call
 * and the deferred writes it flushes are done again on a new connection, nothing is lost; a journal not opened as
 * shared fails at once, as any other journal error.
 */
class JournalHandoverTest {
    /** Statements to fail, as H2 does while the journal's host process shuts down. */
    private static final AtomicInteger FAIL_NEXT = new AtomicInteger();
    private static final AtomicInteger OPENED = new AtomicInteger();
    private static final Driver HOST_LEAVING = new HostLeavingDriver();

    @BeforeAll
    static void register() throws SQLException {
        DriverManager.registerDriver(HOST_LEAVING);
    }

    @AfterAll
    static void deregister() throws SQLException {
        DriverManager.deregisterDriver(HOST_LEAVING);
    }

    private static TaskSpec task(String key) {
        return new TaskSpec(TaskId.of("mem:a", "mem:b", "copy:" + key), "COPY", key, 10);
    }

    @Test
    void aCallThatMeetsTheHostLeavingIsDoneAgainWithTheWritesItFlushes() {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:host-leaving:a;AUTO_SERVER=TRUE")) {
            RunInfo run = journal.startRun("m", "handover");
            journal.plan(run.runId(), List.of(task("x"), task("y")).iterator());
            int opened = OPENED.get();
            journal.begin(run.runId(), task("x").id()); // deferred: written by the next flush
            FAIL_NEXT.set(2);

            assertThat(journal.run(run.runId())).isPresent(); // flushes first: fails twice, then goes through

            assertThat(OPENED.get() - opened).as("connections opened again").isEqualTo(2);
            assertThat(journal.task(task("x").id()).orElseThrow().state()).as("the deferred write")
                    .isEqualTo(TaskState.RUNNING);
        }
    }

    @Test
    void aJournalNotSharedFailsAtOnce() {
        try (JdbcJournal journal = JdbcJournal.open("jdbc:host-leaving:b")) {
            RunInfo run = journal.startRun("m", "not shared");
            FAIL_NEXT.set(1);
            assertThatThrownBy(() -> journal.run(run.runId())).isInstanceOf(MigrationException.class)
                    .hasMessageContaining("Database is already closed");
        }
    }

    /** {@code jdbc:host-leaving:NAME}: an H2 in-memory database whose statements fail while {@link #FAIL_NEXT} > 0. */
    private static final class HostLeavingDriver implements Driver {
        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) {
                return null;
            }
            String name = url.substring("jdbc:host-leaving:".length()).split(";")[0];
            Connection real = DriverManager.getConnection("jdbc:h2:mem:handover-" + name + ";DB_CLOSE_DELAY=-1");
            OPENED.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        String m = method.getName();
                        if ((m.equals("prepareStatement") || m.equals("createStatement"))
                                && FAIL_NEXT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw new SQLException("Database is already closed (to disable automatic closing at "
                                    + "VM shutdown, add \";DB_CLOSE_ON_EXIT=FALSE\" to the db URL)", "90121", 90121);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:host-leaving:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }
}
