package dev.caravan.core.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import dev.caravan.api.record.Schema;
import dev.caravan.api.record.TableDefinition;
import dev.caravan.api.record.TableStructure;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order tables load in: those that keep their own foreign keys after the tables they reference. */
class LoadLevelsTest {
    /** A table and the tables it references. */
    private record Table(String name, TableDefinition definition) {
    }

    private static Table table(String name, String... references) {
        List<TableDefinition.ForeignKey> keys = Arrays.stream(references).map(r -> new TableDefinition.ForeignKey(
                name + "_" + r, List.of(r + "_id"), r, List.of("id"), null, null)).toList();
        Schema schema = new Schema(name, List.of(new Column("id", ColumnType.LONG, null, 0, 0, false)), List.of("id"));
        return new Table(name, new TableDefinition("test", schema, List.of(), keys, Map.of(), List.of()));
    }

    private static List<List<String>> levels(List<Table> tables, Set<String> existed) {
        return LoadLevels.of(tables, Table::name, t -> LoadLevels.references(t.definition(), Map.of()),
                t -> existed.contains(t.name())).stream()
                .map(level -> level.stream().map(Table::name).toList()).toList();
    }

    @Test
    void tablesCaravanCreatedLoadAllAtOnceWhateverTheyReference() {
        List<Table> tables = List.of(table("posts", "users"), table("users"), table("comments", "posts", "users"));
        assertThat(levels(tables, Set.of())).containsExactly(List.of("posts", "users", "comments"));
    }

    @Test
    void tablesThatKeepTheirOwnKeysLoadAfterTheTablesTheyReference() {
        List<Table> tables = List.of(table("comments", "posts", "users"), table("posts", "users"), table("users"),
                table("tags"));
        assertThat(levels(tables, Set.of("comments", "posts", "users", "tags")))
                .containsExactly(List.of("users", "tags"), List.of("posts"), List.of("comments"));
        // a created table waits for nothing, even when the table it references existed
        assertThat(levels(tables, Set.of("users", "posts")))
                .containsExactly(List.of("comments", "users", "tags"), List.of("posts"));
    }

    @Test
    void referencesOutsideTheRunSelfReferencesAndCyclesDoNotHoldATableBackForever() {
        List<Table> tables = List.of(table("employees", "employees", "departments"), table("departments",
                "employees"), table("orders", "customers"), table("\"public\".\"Items\""), table("lines", "items"));
        List<List<String>> levels = levels(tables, Set.of("employees", "departments", "orders", "lines",
                "\"public\".\"Items\""));
        assertThat(levels.stream().flatMap(List::stream)).hasSize(5);
        assertThat(levels.get(0)).as("customers is not loaded by this run: orders does not wait").contains("orders")
                .contains("\"public\".\"Items\"");
        assertThat(levels.stream().filter(l -> l.contains("lines")).findFirst().orElseThrow())
                .as("a reference matches a quoted, schema-qualified name").doesNotContain("\"public\".\"Items\"");
        assertThat(levels.size()).as("the cycle employees <-> departments is cut where it closes")
                .isLessThanOrEqualTo(3);
    }

    @Test
    void theTargetsOwnKeysOrderTablesTheSourceDeclaresNoKeyFor() {
        List<Table> tables = List.of(table("posts"), table("users"), table("comments"));
        Map<String, Map<String, String>> prepared = Map.of(
                "posts", Map.of(TableStructure.EXISTED, "true", TableStructure.REFERENCES, "users"),
                "comments", Map.of(TableStructure.EXISTED, "true", TableStructure.REFERENCES, "posts\nusers"),
                "users", Map.of(TableStructure.EXISTED, "true"));

        List<List<String>> levels = LoadLevels.of(tables, Table::name,
                t -> LoadLevels.references(t.definition(), prepared.get(t.name())), t -> true).stream()
                .map(level -> level.stream().map(Table::name).toList()).toList();

        assertThat(levels).containsExactly(List.of("users"), List.of("posts"), List.of("comments"));
    }

    /** A table waits (is not loaded) while a table it references, directly or not, failed its prepare step. */
    @Test
    void tablesThatReferenceAFailedTableWaitNamingIt() {
        List<Table> tables = List.of(table("customers"), table("orders", "customers"), table("lines", "orders"),
                table("tags"), table("notes", "tags"));
        Map<Table, String> waiting = LoadLevels.waitingFor(tables, Table::name,
                t -> LoadLevels.references(t.definition(), Map.of()), t -> t.name().equals("customers"));
        assertThat(waiting.entrySet()).extracting(e -> e.getKey().name() + " -> " + e.getValue())
                .containsExactlyInAnyOrder("orders -> customers", "lines -> customers");
        assertThat(LoadLevels.waitingFor(tables, Table::name, t -> LoadLevels.references(t.definition(), Map.of()),
                t -> false)).isEmpty();
    }
}
