package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The blob names Azure would store as other names, and its limit of path segments. */
class AzureBlobNamesTest {

    @Test
    void namesWithABackslashOrADotEndingAFileOrFolderNameAreChanged() {
        assertThat(AzureBlobNames.changed("scans\\2019.pdf", true)).contains("backslash")
                .contains("--key-map 'replace:\\=\uff3c', or keyMap in a route,");
        assertThat(AzureBlobNames.changed("notes/draft.", true)).contains("'draft.' would be stored without them")
                .contains("--key-map 'trailing:.=\uff0e', or keyMap in a route,");
        assertThat(AzureBlobNames.changed("v1./readme.txt", true)).contains("'v1.'");
        assertThat(AzureBlobNames.changed("a/b../c", false)).contains("'b..'").doesNotContain("--key-map");
        assertThat(AzureBlobNames.changed("a.b/c.txt", true)).as("dots inside names are kept").isNull();
        assertThat(AzureBlobNames.changed(".hidden/x", true)).as("a leading dot is kept").isNull();
        assertThat(AzureBlobNames.changed("plain/key", true)).isNull();
    }

    @Test
    void controlCharactersAndNoncharactersAreNotTaken() {
        assertThat(AzureBlobNames.unsupported("line\nbreak.txt", true)).contains("U+000A")
                .contains("replace:C=R");
        assertThat(AzureBlobNames.unsupported("del\u007f", false)).contains("U+007F").doesNotContain("replace");
        assertThat(AzureBlobNames.unsupported("c1\u008d", true)).contains("U+008D");
        assertThat(AzureBlobNames.unsupported("non\uffff", true)).contains("U+FFFF");
        assertThat(AzureBlobNames.unsupported("tab\tx", true)).contains("U+0009");
        assertThat(AzureBlobNames.unsupported("caf\u00e9 \u00a0 \u4e2d\uD83D\uDE00 *?:|<>\"", true)).isNull();
    }

    @Test
    void atMost254PathSegments() {
        assertThat(AzureBlobNames.tooDeep("a/".repeat(253) + "b")).isNull();
        assertThat(AzureBlobNames.tooDeep("a/".repeat(254) + "b")).isEqualTo("the blob name would have 255 path "
                + "segments, Azure allows 254");
    }
}
