package dev.caravan.connector.jdbc;

import dev.caravan.api.config.Config;
import dev.caravan.api.config.Options;
import dev.caravan.api.record.RecordProvider;
import dev.caravan.api.record.RecordSink;
import dev.caravan.api.record.RecordSource;
import java.util.Map;
import java.util.Set;

/**
 * The {@code jdbc} scheme: tables of PostgreSQL, MariaDB/MySQL, H2 and SQLite databases as record sources and
 * sinks. The location is the JDBC URL after the scheme, so a location reads like the URL users already know:
 * {@code jdbc:postgresql://127.0.0.1:5432/shop}, {@code jdbc:mariadb://db/shop}, {@code jdbc:sqlite:/data/app.db},
 * {@code jdbc:h2:/data/h2db} (scheme {@code jdbc}, location {@code postgresql://...}; a location that already
 * starts with {@code jdbc:} is accepted too). With the {@code table} (or {@code query}) option it is one table,
 * without it a whole database ({@link dev.caravan.api.record.SourceTables},
 * {@link dev.caravan.api.record.SinkTables}). Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 */
public final class JdbcRecordProvider implements RecordProvider {

    /** The URI scheme. */
    public static final String SCHEME = "jdbc";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "Tables of PostgreSQL, MariaDB/MySQL, H2 and SQLite databases (location: the JDBC URL)";
    }

    @Override
    public Options options() {
        return JdbcOptions.OPTIONS;
    }

    /**
     * Opens a table ({@code table}), a query ({@code query}) or a whole database (neither).
     *
     * @param config options resolved by {@link #options()}; {@code null} means all defaults
     */
    @Override
    public RecordSource openSource(String location, Config config) {
        JdbcSettings s = JdbcSettings.of(location, resolved(config));
        if (EmbeddedDatabaseFile.missing(s.url())) { // its driver would create an empty database and read it
            throw dev.caravan.api.error.MigrationException.userConfig("the source database file "
                    + EmbeddedDatabaseFile.of(s.url()).orElseThrow() + " does not exist (" + s.maskedUrl() + ")");
        }
        ConnectionFactory factory = new ConnectionFactory(s, false);
        if (s.query() != null) {
            return JdbcTableSource.query(factory, s.query()).owning();
        }
        if (s.table() != null) {
            return JdbcTableSource.table(factory, s.schema(), s.table()).owning();
        }
        return new JdbcDatabaseSource(factory);
    }

    /**
     * Opens a target table ({@code table}) or a whole target database. Nothing is written until a writer or a
     * structure step runs; an embedded database file (H2, SQLite) is created by the first write, not by a plan.
     *
     * @param config options resolved by {@link #options()}; {@code null} means all defaults
     */
    @Override
    public RecordSink openSink(String location, Config config) {
        JdbcSettings s = JdbcSettings.of(location, resolved(config));
        if (s.query() != null) {
            throw dev.caravan.api.error.MigrationException.userConfig("option 'query' is for sources; a jdbc sink "
                    + "writes a table (option 'table') or a whole database");
        }
        ConnectionFactory factory = new ConnectionFactory(s, true);
        if (!factory.dialect().name().equals("h2") && !factory.dialect().name().equals("sqlite")) {
            factory.warmUp(); // a network database: its driver initializes while the source is being planned
        }
        RejectLog rejects = new RejectLog(s.rejectFile(), s.maxRejects());
        if (s.table() != null) {
            return new JdbcTableSink(factory, null, s.table(), rejects, true, Set.of(),
                    new TableEmptier(factory.dialect(), Set.of()));
        }
        return new JdbcDatabaseSink(factory, rejects);
    }

    private static Config resolved(Config config) {
        return config == null ? JdbcOptions.OPTIONS.resolve(Map.of()) : config;
    }
}
