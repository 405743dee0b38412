package dev.caravan.connector.azureblob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** {@link CodePointOrder} against fake servers that list by UTF-16 code units or by code points. */
class CodePointOrderTest {

    /** A fake paged server: a sorted name set, prefix filter, optional startFrom, counting the listings opened. */
    private static final class FakeServer {
        final TreeSet<String> names;
        final boolean honoursStartFrom;
        int opened;
        int itemsServed;

        FakeServer(Comparator<String> order, boolean honoursStartFrom, List<String> names) {
            this.names = new TreeSet<>(order);
            this.names.addAll(names);
            this.honoursStartFrom = honoursStartFrom;
        }

        CodePointOrder.Cursor<String> open(String prefix, String startFrom) {
            opened++;
            List<String> out = new ArrayList<>();
            for (String n : names) {
                boolean afterStart = startFrom == null || !honoursStartFrom || n.compareTo(startFrom) >= 0;
                if (n.startsWith(prefix) && afterStart) {
                    out.add(n);
                }
            }
            return new CodePointOrder.Cursor<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < out.size();
                }

                @Override
                public String peek() {
                    return out.get(i);
                }

                @Override
                public String next() {
                    itemsServed++;
                    return out.get(i++);
                }

                @Override
                public void close() {
                    i = out.size();
                }
            };
        }

        List<String> listAll(String prefix) {
            CodePointOrder<String> order = new CodePointOrder<>(open(prefix, null), prefix.length(),
                    Function.identity(), this::open);
            List<String> result = new ArrayList<>();
            order.forEachRemaining(result::add);
            order.close();
            return result;
        }
    }

    private static final Comparator<String> UTF16 = Comparator.naturalOrder();

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(ObjectKeys.ORDER);
        return copy;
    }

    @Test
    void swapsSurrogatesBehindTheHighBmpCharacters() {
        List<String> names = List.of("\uD83D\uDE00.bin", "\uFF21-fullwidth", "a", "x\uD83D\uDE00", "x\uE000z",
                "x\uFFFD", "x", "xa", "\u00e9t\u00e9");
        FakeServer server = new FakeServer(UTF16, true, names);
        assertThat(server.listAll("")).containsExactlyElementsOf(sorted(names));
        assertThat(sorted(names)).as("the fake lists in another order than code points")
                .isNotEqualTo(new ArrayList<>(server.names));
    }

    @Test
    void keysWithoutSuchCharactersCostNoExtraListing() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add("dir/" + i + "/\u00e9\u4e2d" + (char) ('a' + i % 26));
        }
        FakeServer server = new FakeServer(UTF16, true, names);
        assertThat(server.listAll("")).containsExactlyElementsOf(sorted(names));
        assertThat(server.opened).isEqualTo(1);
        assertThat(server.itemsServed).isEqualTo(names.size());
    }

    @Test
    void fixesNestedPositionsAndRespectsThePrefix() {
        List<String> names = List.of("p/\uD83D\uDE00/\uD83D\uDE01", "p/\uD83D\uDE00/\uFFFD", "p/\uD83D\uDE00/a",
                "p/\uFFFD/\uD83D\uDE01", "p/\uFFFD/\uE000", "p/\uE000", "p/a\uD83D\uDE00", "p/a\uFF00", "p/a",
                "q/\uD83D\uDE00", "q/\uFF00", "o/\uFF00", "o/\uD83D\uDE00");
        FakeServer server = new FakeServer(UTF16, true, names);
        List<String> expected = sorted(names.stream().filter(n -> n.startsWith("p/")).toList());
        assertThat(server.listAll("p/")).containsExactlyElementsOf(expected);
    }

    @Test
    void worksWhenTheServerIgnoresStartFrom() {
        List<String> names = List.of("\uD83D\uDE00", "\uFF21", "\uE000\uD83D\uDE00", "\uE000\uE000", "b", "a");
        FakeServer server = new FakeServer(UTF16, false, names);
        assertThat(server.listAll("")).containsExactlyElementsOf(sorted(names));
    }

    @Test
    void passesACodePointOrderedListingThrough() {
        List<String> names = List.of("\uD83D\uDE00.bin", "\uFF21-fullwidth", "x\uD83D\uDE00", "x\uE000z", "x\uFFFD",
                "x\uFFFD\uD83D\uDE00", "x\uFFFD\uFFFD", "y");
        FakeServer server = new FakeServer(ObjectKeys.ORDER, true, names);
        assertThat(server.listAll("")).containsExactlyElementsOf(sorted(names));
    }

    @Test
    void randomNamesComeOutInCodePointOrderFromBothKindsOfServer() {
        char[] alphabet = {'a', 'b', '/', '\uE000', '\uFF21', '\uFFFD', '\u00e9'};
        String[] astral = {"\uD83D\uDE00", "\uD800\uDC00", "\uDBFF\uDFFF"};
        Random random = new Random(20261125);
        for (int round = 0; round < 40; round++) {
            TreeSet<String> unique = new TreeSet<>();
            for (int i = 0; i < 150; i++) {
                StringBuilder sb = new StringBuilder();
                int length = 1 + random.nextInt(6);
                for (int j = 0; j < length; j++) {
                    if (random.nextInt(4) == 0) {
                        sb.append(astral[random.nextInt(astral.length)]);
                    } else {
                        sb.append(alphabet[random.nextInt(alphabet.length)]);
                    }
                }
                unique.add(sb.toString());
            }
            List<String> names = new ArrayList<>(unique);
            for (Comparator<String> order : List.of(UTF16, ObjectKeys.ORDER)) {
                for (boolean startFrom : new boolean[] {true, false}) {
                    FakeServer server = new FakeServer(order, startFrom, names);
                    assertThat(server.listAll("")).as("round %d, startFrom %s", round, startFrom)
                            .containsExactlyElementsOf(sorted(names));
                }
            }
        }
    }

    @Test
    void aListingInAnyOtherOrderFailsInsteadOfMisleadingAMerge() {
        FakeServer server = new FakeServer(Comparator.<String>reverseOrder(), true, List.of("a", "b", "c"));
        MigrationException e = Assertions.catchThrowableOfType(MigrationException.class, () -> server.listAll(""));
        assertThat(e.kind()).isEqualTo(ErrorKind.FATAL);
        assertThat(e.getMessage()).contains("'b' after 'c'");
    }

    @Test
    void firstSurrogate() {
        assertThat(CodePointOrder.firstSurrogate("ab\uD83D\uDE00", 0)).isEqualTo(2);
        assertThat(CodePointOrder.firstSurrogate("ab\uD83D\uDE00", 4)).isEqualTo(-1);
        assertThat(CodePointOrder.firstSurrogate("abc", 0)).isEqualTo(-1);
    }
}
