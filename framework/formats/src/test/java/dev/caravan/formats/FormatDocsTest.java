package dev.caravan.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/formats.md shows the type mapping and the options exactly as the code declares them. */
class FormatDocsTest {
    private static final Path DOC = Path.of("../../docs/formats.md");

    private static String block(String doc, String key) {
        Matcher m = Pattern.compile("<!-- generated:" + Pattern.quote(key) + " [^>]*-->\\n(.*?)<!-- end:"
                + Pattern.quote(key) + " -->", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("block %s in %s", key, DOC).isTrue();
        return m.group(1);
    }

    @Test
    void typeMappingAndOptionTablesAreCurrent() throws IOException {
        String doc = Files.readString(DOC);
        assertThat(block(doc, "type-mapping")).isEqualTo(TypeMappings.markdown());
        for (String format : new String[] {"csv", "jsonl", "avro", "parquet"}) {
            assertThat(block(doc, "options-" + format)).as(format)
                    .isEqualTo(TypeMappings.optionsMarkdown(Codecs.get(format)));
        }
    }
}
