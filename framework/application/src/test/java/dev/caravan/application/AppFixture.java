package dev.caravan.application;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A small web application's two environments under one directory: {@code old/} (SQLite database, uploaded files,
 * app.properties) and {@code new/}; the settings of runs of it (work directory {@code work/} beside that directory,
 * {@code ${ENV}} set to it), plans of it, and helpers to snapshot a tree and a database for before/after comparisons.
 */
final class AppFixture {
    /** The source database as a database step's {@code from}. */
    static final String SOURCE_DB = "jdbc:sqlite:${ENV}/old/app.db";
    /** The SQLite target database as a database step's {@code to}. */
    static final String TARGET_DB = "jdbc:sqlite:${ENV}/new/app.db";

    final Path env;
    final Path old;
    final Path fresh;
    /** The work directory of the runs (each application's runs, reports and backups). */
    final Path work;
    private final Map<String, String> variables = new TreeMap<>();

    AppFixture(Path env) throws Exception {
        this.env = env;
        this.work = env.resolveSibling("work");
        variables.put("ENV", env.toString());
        this.old = Files.createDirectories(env.resolve("old"));
        this.fresh = Files.createDirectories(env.resolve("new"));
        Files.createDirectories(old.resolve("uploads/2024"));
        Files.writeString(old.resolve("uploads/logo.svg"), "<svg>logo v2</svg>");
        Files.writeString(old.resolve("uploads/2024/cat.txt"), "a cat picture, really");
        Files.write(old.resolve("uploads/2024/blob.bin"), new byte[70_000]);
        Files.writeString(old.resolve("app.properties"), "app.name=pinboard\ndb.url=jdbc:sqlite:" + old
                + "/app.db\nupload.dir=" + old + "/uploads\nfeature.x=on\n");
        sql("jdbc:sqlite:" + old.resolve("app.db"),
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, created_at TEXT)",
                "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
                        + " title TEXT, image TEXT)");
        for (int i = 1; i <= 30; i++) {
            sql("jdbc:sqlite:" + old.resolve("app.db"), "INSERT INTO users VALUES (" + i + ", 'u" + i
                    + "@example.org', '2024-01-" + (10 + i % 9) + "')", "INSERT INTO posts VALUES (" + i + ", "
                    + i + ", 'post " + i + "', 'uploads/2024/cat.txt')");
        }
    }

    String sourceDb() {
        return "jdbc:sqlite:" + old.resolve("app.db");
    }

    String targetDb() {
        return "jdbc:sqlite:" + fresh.resolve("app.db");
    }

    /** Sets a plan variable of the runs ({@code ${NAME}}) besides {@code ENV}. */
    AppFixture variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** Settings of a run: the work directory {@link #work} and the variables ({@code ENV}: {@link #env}). */
    ApplicationSettings settings() {
        return ApplicationSettings.defaults().withWorkDir(work).withVariables(Map.copyOf(variables));
    }

    /** Writes {@code yaml} to {@code <file>.yaml} and runs it with {@link #settings()}. */
    ApplicationReport run(String file, String yaml) throws IOException {
        return ApplicationMigration.load(write(file + ".yaml", yaml), settings()).run();
    }

    /**
     * A plan of one database step {@code {id: database, kind: database, from: ..., to: ..., <more>}} and, unless
     * {@code switchCommand} is {@code null}, one switch hook running it in a shell.
     */
    static String databasePlan(String name, String from, String to, String more, String switchCommand) {
        return """
                application:
                  name: %s
                  steps:
                    - {id: database, kind: database, from: "%s", to: "%s"%s}
                """.formatted(name, from, to, more.isEmpty() ? "" : ", " + more) + (switchCommand == null ? "" : """
                  cutover:
                    switch:
                      - shell: '%s'
                """.formatted(switchCommand));
    }

    /** The plan of the example application, with extra YAML appended under {@code application:}. */
    String examplePlan(String substitution, String extra) {
        return """
                application:
                  name: pinboard
                  steps:
                    - id: database
                      kind: database
                      from: jdbc:sqlite:${ENV}/old/app.db
                      to: jdbc:sqlite:${ENV}/new/app.db
                      incremental: {column: id, mode: key}
                    - id: uploads
                      kind: files
                      from: local:${ENV}/old/uploads
                      to: local:${ENV}/new/uploads
                      mode: sync
                    - id: config
                      kind: config
                      after: [database, uploads]
                      from: local:${ENV}/old
                      to: local:${ENV}/new
                      files: [app.properties]
                      substitutions:
                        - regex: '^db\\.url=.*$'
                          replace: 'db.url=jdbc:sqlite:${ENV}/new/app.db'
                        - find: '%s'
                          replace: '${ENV}/new/uploads'
                """.formatted(substitution) + extra;
    }

    Path write(String name, String yaml) throws IOException {
        return Files.writeString(env.resolve(name), yaml);
    }

    static void sql(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(q);
            }
        }
    }

    static List<List<String>> rows(String url, String query) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Table names (SQLite's own tables aside) and their full content, for "exactly as before" checks. */
    static Map<String, List<List<String>>> database(String url) throws Exception {
        Map<String, List<List<String>>> out = new TreeMap<>();
        for (List<String> t : rows(url, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")) {
            out.put(t.get(0), rows(url, "SELECT * FROM \"" + t.get(0) + "\" ORDER BY 1"));
        }
        return out;
    }

    /** Every regular file under {@code dir} with its SHA-256 (the database file excluded: compared by content). */
    static Map<String, String> tree(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString()
                    .startsWith("app.db")).toList()) {
                out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
