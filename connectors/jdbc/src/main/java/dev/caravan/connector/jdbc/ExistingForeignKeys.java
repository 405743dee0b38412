package dev.caravan.connector.jdbc;

import dev.caravan.connector.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The foreign keys a target table has already, by name and by shape ({@link Ddl#shape}: the columns and the parent
 * table and columns they reference), so that a key of the source is not added to a table that has it under another
 * name (a table the target defined, appended to: PostgreSQL named its key {@code posts_user_id_fkey}, the source's
 * is added as {@code posts_fk0}).
 *
 * @param names   the constraint names
 * @param shapes  the shapes
 * @param parents the tables the keys reference (the table itself for a self reference)
 */
record ExistingForeignKeys(Set<String> names, Set<String> shapes, Set<String> parents) {
    /** The foreign keys of table {@code t} from the database's metadata. */
    static ExistingForeignKeys of(Connection c, Dialect dialect, TableRef t) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>(); // name -> (seq, column, parent, parent column)
        try (ResultSet rs = c.getMetaData().getImportedKeys(dialect.schemaIsCatalog() ? t.schema() : null,
                dialect.schemaIsCatalog() ? null : t.schema(), t.name())) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                byName.computeIfAbsent(name == null ? "" : name, n -> new ArrayList<>()).add(new String[] {
                    String.format("%05d", rs.getInt("KEY_SEQ")), rs.getString("FKCOLUMN_NAME"),
                    rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME")});
            }
        }
        Set<String> shapes = new HashSet<>();
        Set<String> parents = new java.util.TreeSet<>();
        for (List<String[]> parts : byName.values()) {
            parents.add(parts.get(0)[2]);
            parts.sort(java.util.Comparator.comparing(p -> p[0]));
            shapes.add(Ddl.shape(parts.stream().map(p -> p[1]).toList(), parts.get(0)[2],
                    parts.stream().map(p -> p[3]).toList()));
        }
        return new ExistingForeignKeys(Set.copyOf(byName.keySet()), shapes, parents);
    }
}
