package dev.caravan.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.record.RecordBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The batches of a format reader say where each record comes from (the input's line for CSV and JSON Lines, its
 * record number for formats without lines), so that a sink can name the row it refuses.
 */
class BatchLocationsTest {
    @Test
    void csvRecordsCarryTheLineTheyStartOn() {
        String csv = "id,note\n1,plain\n2,\"two\nlines\"\n\n3,last\n";
        assertThat(locations(TestIo.reader("csv", csv, null, Map.of("batchSize", "2"))))
                .containsExactly("data.csv line 2", "data.csv line 3", "data.csv line 6");
    }

    @Test
    void jsonLinesRecordsCarryTheirLine() {
        String jsonl = "{\"id\": 1}\n\n{\"id\": 2}\n{\"id\": 3}\n";
        assertThat(locations(TestIo.reader("jsonl", jsonl, null, Map.of())))
                .containsExactly("data.jsonl line 1", "data.jsonl line 3", "data.jsonl line 4");
    }

    private static List<String> locations(FormatReader reader) {
        List<String> out = new ArrayList<>();
        try (reader) {
            Optional<RecordBatch> b;
            while ((b = reader.nextBatch()).isPresent()) {
                for (int i = 0; i < b.get().records().size(); i++) {
                    out.add(b.get().locations().of(i));
                }
            }
        }
        return out;
    }
}
