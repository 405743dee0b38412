package dev.caravan.core.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one process that runs a migration not shared between workers, recorded with an expiring lease that it renews:
 * a second process starting the same migration meanwhile (an overlapping schedule, the same command in two
 * terminals) finds it taken instead of copying every object a second time. A lease whose owner died is taken
 * over once it expired, or at once when the caller can tell that owner is gone (a process of this machine that no
 * longer exists). Thread-safe.
 */
public final class MigrationOwners {
    private static final String DUPLICATE_KEY = "23505";

    private final JournalDatabase db;

    MigrationOwners(JournalDatabase db) {
        this.db = db;
    }

    /**
     * The process running a migration and when its lease ends unless renewed.
     *
     * @param owner      the owner's name, as given to {@link #take}
     * @param leaseUntil the end of its lease
     */
    public record Holder(String owner, Instant leaseUntil) {
    }

    /**
     * Makes {@code owner} the migration's owner for {@code ttl}, unless another owner holds it: one whose lease has
     * not expired and that {@code gone} does not declare dead. Empty when {@code owner} holds it now; otherwise the
     * holder that keeps it.
     */
    public Optional<Holder> take(String migrationId, String owner, Duration ttl, Predicate<String> gone) {
        return retryingDuplicates(() -> db.transaction(c -> takeIn(c, migrationId, owner, ttl, gone)));
    }

    /** {@link #take} within the caller's transaction on {@code c}. */
    static Optional<Holder> takeIn(Connection c, String migrationId, String owner, Duration ttl,
            Predicate<String> gone) throws SQLException {
        Holder current = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT owner, lease_until FROM caravan_migration_owner"
                + " WHERE migration_id = ? FOR UPDATE")) {
            ps.setString(1, migrationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    current = new Holder(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        Timestamp until = Timestamp.from(Instant.now().plus(ttl));
        if (current == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_migration_owner (migration_id, owner,"
                    + " lease_until) VALUES (?, ?, ?)")) {
                JdbcJournal.bind(ps, migrationId, owner, until);
                ps.executeUpdate();
            }
            return Optional.empty();
        }
        if (!current.owner().equals(owner) && current.leaseUntil().isAfter(Instant.now())
                && !gone.test(current.owner())) {
            return Optional.of(current);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE caravan_migration_owner SET owner = ?, lease_until = ?"
                + " WHERE migration_id = ?")) {
            JdbcJournal.bind(ps, owner, until, migrationId);
            ps.executeUpdate();
        }
        return Optional.empty();
    }

    /**
     * Runs a transaction that takes a migration once more when it failed on a duplicate key: two processes inserting
     * the first row at once, the loser then finds the winner's.
     */
    static <T> T retryingDuplicates(Supplier<T> transaction) {
        try {
            return transaction.get();
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof SQLException sql) || !DUPLICATE_KEY.equals(sql.getSQLState())) {
                throw e;
            }
            return transaction.get();
        }
    }

    /** Extends {@code owner}'s lease; false when it no longer holds the migration (another process took it over). */
    public boolean renew(String migrationId, String owner, Duration ttl) {
        return update("UPDATE caravan_migration_owner SET lease_until = ? WHERE migration_id = ? AND owner = ?",
                Timestamp.from(Instant.now().plus(ttl)), migrationId, owner) == 1;
    }

    /**
     * Gives the migration up, if {@code owner} still holds it: written with the journal's deferred writes (within
     * a fraction of a second, and by the next call that writes or the journal's close), so that a run's end costs
     * no transaction of its own. Until then, or if the process dies first, {@link #take} finds an owner that is gone.
     */
    public void release(String migrationId, String owner) {
        db.defer("DELETE FROM caravan_migration_owner WHERE migration_id = ? AND owner = ?", migrationId, owner);
    }

    /** Who holds the migration now, if anyone does (a lease not expired). */
    public Optional<Holder> holder(String migrationId) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, lease_until FROM caravan_migration_owner"
                    + " WHERE migration_id = ?")) {
                ps.setString(1, migrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getTimestamp(2).toInstant().isAfter(Instant.now())) {
                        return Optional.of(new Holder(rs.getString(1), rs.getTimestamp(2).toInstant()));
                    }
                    return Optional.empty();
                }
            }
        });
    }

    private int update(String sql, Object... args) {
        return db.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                JdbcJournal.bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }
}
