package dev.caravan.connector.jdbc;

import dev.caravan.api.config.OptionDef;
import dev.caravan.api.config.OptionType;
import dev.caravan.api.config.Options;

/** The declared options of the {@code jdbc} connector: the single source of its documentation. */
final class JdbcOptions {
    static final OptionDef USER = OptionDef.of("user", OptionType.STRING,
            "Database user. May also be given in the URL (user=...); a different user (or password) in the URL and"
                    + " in the option is bad input.");
    static final OptionDef PASSWORD = OptionDef.of("password", OptionType.PASSWORD,
            "Password of the database user; masked in logs, reports and task ids.");
    static final OptionDef SCHEMA = OptionDef.of("schema", OptionType.STRING,
            "Schema (PostgreSQL, H2) or database (MariaDB/MySQL) that holds the tables; SQLite has none. Default: "
                    + "the connection's current schema or database.");
    static final OptionDef TABLE = OptionDef.of("table", OptionType.STRING,
            "The one table to read (source) or write (sink), spelled as in the database (matched "
                    + "case-insensitively when unique). Without table and query the location is a whole database: "
                    + "every table matching include/exclude, in foreign-key order.");
    static final OptionDef QUERY = OptionDef.of("query", OptionType.STRING,
            "Source only: a SELECT read instead of a table. Trusted SQL, run as given; set keyColumn to read it by "
                    + "key ranges in parallel and resumably, else it is read in one pass.");
    static final OptionDef INCLUDE = OptionDef.of("include", OptionType.LIST,
            "Whole-database source: table name globs to read (* and ?, case-insensitive). Default: all tables. A"
                    + " name without a wildcard that is no table of the source is bad input (exit 2, naming the"
                    + " tables), not a migration of nothing.");
    static final OptionDef EXCLUDE = OptionDef.of("exclude", OptionType.LIST,
            "Whole-database source: table name globs to leave out (applied after include).");
    static final OptionDef KEY_COLUMN = OptionDef.of("keyColumn", OptionType.LIST,
            "Key columns for splits, checkpoints, upserts and verification ranges, instead of the primary key (or "
                    + "a unique index on NOT NULL columns). Tables without any key are copied in one pass.");
    static final OptionDef TARGET_SCHEMA = OptionDef.of("targetSchema", OptionType.STRING,
            "Sink: schema (PostgreSQL, H2) or database (MariaDB) where tables are created and written; created if "
                    + "missing. Default: the schema option, else the connection's.");
    static final OptionDef BATCH_SIZE = OptionDef.of("batchSize", OptionType.INT,
            "Rows per keyset page read and per committed write batch; each commit is checkpointed, so this is "
                    + "also the most a resumed run re-reads per split.")
            .withDefault("10000").withValidator(v -> Integer.parseInt(v.trim()) > 0 ? null : "must be positive");
    static final OptionDef FETCH_SIZE = OptionDef.of("fetchSize", OptionType.INT,
            "Rows the driver fetches per round trip when a keyless table or a query is streamed.")
            .withDefault("10000").withValidator(v -> Integer.parseInt(v.trim()) > 0 ? null : "must be positive");
    static final OptionDef CREATE_TABLES = OptionDef.of("createTables", OptionType.BOOLEAN,
            "Sink: create missing tables (mapped types, NOT NULL, primary key, portable defaults, identity); "
                    + "secondary indexes and foreign keys are added after the data. false: a missing table is refused "
                    + "while planning, before anything is written.")
            .withDefault("true");
    static final OptionDef MODE = OptionDef.of("mode", OptionType.ENUM,
            "Sink: append inserts rows into the table (created if missing); replace drops and recreates the table "
                    + "before loading (refused while planning when a view or another table's foreign key outside the "
                    + "migration depends on it); upsert inserts rows or updates the row with the same key (needs a "
                    + "key).")
            .withAllowed("append", "replace", "upsert").withDefault("append");
    static final OptionDef LOAD = OptionDef.of("load", OptionType.ENUM,
            "Sink: what a table migration does to the target. all: create missing tables, load the rows, then add "
                    + "indexes, identity restarts and foreign keys; schema: all of that but copy no row (pgloader's "
                    + "schema only; the run is verified by the target's structure, not its rows); data: load rows into"
                    + " tables that exist already and create or alter nothing (pgloader's data only; a missing table or "
                    + "column is refused while planning, before anything is written; truncate=true empties the tables "
                    + "first; identity columns still restart after the loaded rows).")
            .withAllowed("all", "schema", "data").withDefault("all");
    static final OptionDef TRUNCATE = OptionDef.of("truncate", OptionType.BOOLEAN,
            "Sink: empty an existing table before loading (never in a continuing incremental run). Tables of the run "
                    + "linked by foreign keys are emptied together, children first; a table outside the run whose "
                    + "foreign key references one is refused while planning, before anything is emptied.")
            .withDefault("false");
    static final OptionDef KEEP_REPLACED = OptionDef.of("keepReplaced", OptionType.BOOLEAN,
            "Sink: before mode replace drops an existing table or truncate=true empties it, copy its rows into "
                    + "<table>__caravan_<run id> in the same schema (rows only: no key, index or constraint; a name "
                    + "too long for the database is cut and given a hash), once per run, also when the run is taken "
                    + "up again. The kept tables stay until you drop them. Without mode=replace or truncate=true it is "
                    + "refused as bad input.")
            .withDefault("false");
    static final OptionDef WRITE_METHOD = OptionDef.of("writeMethod", OptionType.ENUM,
            "Sink: auto uses PostgreSQL's COPY protocol for append loads into PostgreSQL and batched prepared "
                    + "INSERTs (rewritten/bulk by the driver) elsewhere; copy or insert force one of them.")
            .withAllowed("auto", "copy", "insert").withDefault("auto");
    static final OptionDef TYPE_MAPPING = OptionDef.of("typeMapping", OptionType.STRING,
            "Sink: rules that override the built-in type mapping, ';'-separated SOURCE=TARGET as in pgloader's "
                    + "CAST. SOURCE: a source type (REAL, sqlite:REAL, numeric), a logical type (TIMESTAMP_TZ) or "
                    + "column:table.col; TARGET: a target type where {p} {s} {n} are precision, scale, length. "
                    + "Example: sqlite:REAL=double precision;column:items.qty=smallint;JSON=jsonb")
            .withValidator(v -> TypeRules.check(v));
    static final OptionDef RENAME = OptionDef.of("rename", OptionType.STRING,
            "Sink: ','-separated renames from=to of tables (orders=sales_orders) and columns (orders.amt=amount, "
                    + "*.created=created_at); a backslash escapes , = . and itself.")
            .withValidator(v -> Renames.check(v));
    static final OptionDef REJECT_FILE = OptionDef.of("rejectFile", OptionType.STRING,
            "Sink: file where rows the target refuses are appended (JSON Lines: table, key, location when the source "
                    + "knows it (a file's line or record number, a keyless row's ordinal), reason, row). Unset: "
                    + "refused rows are counted and the first ones logged.");
    static final OptionDef MAX_REJECTS = OptionDef.of("maxRejects", OptionType.LONG,
            "Sink: fail the load when more rows than this are refused (-1: no limit, 0: fail at the first).")
            .withDefault("-1");
    static final OptionDef DRIVER_PROPERTIES = OptionDef.of("driverProperties", OptionType.STRING,
            "Extra JDBC driver properties, ';'-separated name=value (e.g. sslmode=require;connectTimeout=10).");

    static final Options OPTIONS = Options.of("connector jdbc", USER, PASSWORD, SCHEMA, TABLE, QUERY, INCLUDE,
            EXCLUDE, KEY_COLUMN, TARGET_SCHEMA, BATCH_SIZE, FETCH_SIZE, CREATE_TABLES, MODE, LOAD, TRUNCATE,
            KEEP_REPLACED, WRITE_METHOD, TYPE_MAPPING, RENAME, REJECT_FILE, MAX_REJECTS, DRIVER_PROPERTIES);

    private JdbcOptions() {
    }
}
