package dev.caravan.formats.store;

import dev.caravan.api.error.MigrationException;
import dev.caravan.api.store.ObjectStore;

/**
 * Refuses a conversion whose own output the source glob would select: when the target store is the source store or
 * lies inside it (compared by {@link ObjectStore#rootLocation()}), a part file (or reject file) that the glob matches
 * would be read as input by the next run, which would then hold every record twice.
 */
final class SelfInput {
    private SelfInput() {
    }

    /**
     * @param outputs keys of the first output objects under the target root, e.g. {@code out/part-00000.csv}
     * @throws MigrationException {@code USER_CONFIG} naming the output and the glob
     */
    static void refuse(ObjectStore source, ObjectGlob glob, ObjectStore target, String... outputs) {
        String[] s = source.rootLocation().split("\\?", 2);
        String[] t = target.rootLocation().split("\\?", 2);
        if (!(s.length == 2 ? s[1] : "").equals(t.length == 2 ? t[1] : "")) {
            return;
        }
        String a = trim(s[0]);
        String b = trim(t[0]);
        String inside;
        if (a.equals(b)) {
            inside = "";
        } else if (b.startsWith(a + "/")) {
            inside = b.substring(a.length() + 1) + "/";
        } else {
            return;
        }
        for (String output : outputs) {
            String key = inside + key(output);
            if (glob.matches(key)) {
                throw MigrationException.userConfig("the conversion would write " + key + " under the source "
                        + source.uri() + ", where it would match the source glob '" + glob + "': the next run would"
                        + " read it as input and hold every record twice; write to a target outside the source, or"
                        + " give an include that leaves the output out");
            }
        }
    }

    /** A location without its trailing slashes. */
    private static String trim(String location) {
        int end = location.length();
        while (end > 1 && location.charAt(end - 1) == '/') {
            end--;
        }
        return location.substring(0, end);
    }

    /** A key without leading slashes. */
    private static String key(String key) {
        int start = 0;
        while (start < key.length() && key.charAt(start) == '/') {
            start++;
        }
        return key.substring(start);
    }
}
