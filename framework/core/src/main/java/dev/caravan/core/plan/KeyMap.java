package dev.caravan.core.plan;

import dev.caravan.api.error.MigrationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared rules for keys the target cannot hold as they are, written in a migration's {@code keyMap}:
 * <ul>
 * <li>{@code replace:C=R} writes every character {@code C} of a source key as {@code R} in the target key, e.g.
 * {@code replace:\=＼} for Azure Blob (which turns a backslash into {@code /}) or {@code replace::=：} for a file
 * system mounted from Windows;</li>
 * <li>{@code trailing:C=R} writes {@code C} as {@code R} only where it ends a file or folder name (before a {@code /}
 * or at the end of the key), e.g. {@code trailing:.=．} for Azure Blob, which drops a dot there ({@code name.} would
 * be stored as {@code name}).</li>
 * </ul>
 * {@code C} and {@code R} are single characters other than {@code /}; a character appears in one rule only, on one
 * side.
 *
 * <p>Keys the map touches (a source key with a mapped {@code C} or any {@code R}, a target key with an {@code R}) do
 * not sort where their target keys do, so the diff takes them aside and pairs them by target key once both listings
 * are read ({@link Differ}); at most {@value #MAX_ASIDE} of them, in memory. Two source keys written as one target
 * key (a source that holds {@code a\b} and {@code a＼b}) fail the plan before anything is written. Immutable.
 */
public final class KeyMap {
    /** The map of a migration without rules: every key is its own target key. */
    public static final KeyMap NONE = new KeyMap(Map.of(), Map.of(), List.of());
    /** How many keys the map may touch, on both sides together (they are held in memory by the diff). */
    public static final int MAX_ASIDE = 100_000;

    private static final String REPLACE = "replace:";
    private static final String TRAILING = "trailing:";

    private final Map<Integer, Integer> replace;
    private final Map<Integer, Integer> trailing;
    private final List<String> rules;

    private KeyMap(Map<Integer, Integer> replace, Map<Integer, Integer> trailing, List<String> rules) {
        this.replace = replace;
        this.trailing = trailing;
        this.rules = rules;
    }

    /** Parses the rules; {@code USER_CONFIG} naming the rule and the accepted form when one is malformed. */
    public static KeyMap parse(List<String> rules) {
        if (rules == null || rules.isEmpty()) {
            return NONE;
        }
        Map<Integer, Integer> replace = new LinkedHashMap<>();
        Map<Integer, Integer> trailing = new LinkedHashMap<>();
        Map<Integer, Integer> all = new LinkedHashMap<>();
        for (String rule : rules) {
            String r = rule == null ? "" : rule.strip();
            String kind = r.startsWith(REPLACE) ? REPLACE : r.startsWith(TRAILING) ? TRAILING : null;
            if (kind == null) {
                throw bad(rule, "it is neither replace:C=R nor trailing:C=R");
            }
            String body = r.substring(kind.length());
            String form = "it is not of the form " + kind + "C=R, one character on each side";
            int from = body.isEmpty() ? -1 : body.codePointAt(0);
            int at = from < 0 ? 0 : Character.charCount(from);
            if (from < 0 || body.length() <= at || body.charAt(at) != '=' || body.length() == at + 1) {
                throw bad(rule, form);
            }
            int to = body.codePointAt(at + 1);
            if (body.length() != at + 1 + Character.charCount(to)) {
                throw bad(rule, form);
            }
            if (from == '/' || to == '/') {
                throw bad(rule, "'/' separates the folders of a key and cannot be replaced or written");
            }
            if (from == to || all.containsKey(from) || all.containsValue(to) || all.containsKey(to)
                    || all.containsValue(from)) {
                throw bad(rule, "each character may appear in one rule only, on one side");
            }
            all.put(from, to);
            (kind.equals(REPLACE) ? replace : trailing).put(from, to);
        }
        return new KeyMap(Map.copyOf(replace), Map.copyOf(trailing), List.copyOf(rules));
    }

    private static MigrationException bad(String rule, String why) {
        return MigrationException.userConfig("key map rule '" + rule + "' is malformed: " + why
                + " (e.g. replace:\\=\uff3c writes every backslash as a full-width one, trailing:.=\uff0e a dot that"
                + " ends a file or folder name as a full-width one)");
    }

    /** Whether the map has rules. */
    public boolean isEmpty() {
        return replace.isEmpty() && trailing.isEmpty();
    }

    /** The rules as written. */
    public List<String> rules() {
        return rules;
    }

    /** The target key of a source key. */
    public String target(String sourceKey) {
        if (isEmpty() || !touchesSource(sourceKey)) {
            return sourceKey;
        }
        StringBuilder b = new StringBuilder(sourceKey.length());
        for (int i = 0; i < sourceKey.length(); ) {
            int c = sourceKey.codePointAt(i);
            i += Character.charCount(c);
            Integer to = replace.get(c);
            if (to == null && endsName(sourceKey, i)) {
                to = trailing.get(c);
            }
            b.appendCodePoint(to == null ? c : to);
        }
        return b.toString();
    }

    /**
     * Whether a source key has a character a rule writes (a {@code trailing} one only where it ends a name) or any
     * writing one, so the diff takes it aside.
     */
    public boolean touchesSource(String sourceKey) {
        if (isEmpty()) {
            return false;
        }
        for (int i = 0; i < sourceKey.length(); ) {
            int c = sourceKey.codePointAt(i);
            i += Character.charCount(c);
            if (replace.containsKey(c) || replace.containsValue(c) || trailing.containsValue(c)
                    || trailing.containsKey(c) && endsName(sourceKey, i)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a target key has a writing character: it may be the target key of a source key taken aside. */
    public boolean touchesTarget(String targetKey) {
        return !isEmpty() && targetKey.codePoints().anyMatch(c -> replace.containsValue(c)
                || trailing.containsValue(c));
    }

    /** Whether the character that ends before {@code next} is the last one of a file or folder name. */
    private static boolean endsName(String key, int next) {
        return next == key.length() || key.charAt(next) == '/';
    }

    @Override
    public String toString() {
        return isEmpty() ? "none" : String.join("; ", rules);
    }
}
