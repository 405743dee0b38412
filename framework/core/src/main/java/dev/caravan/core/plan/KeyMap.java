package dev.caravan.core.plan;

import dev.caravan.api.error.MigrationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A declared rule for keys the target cannot hold as they are, written in a migration's {@code keyMap}: each rule
 * {@code replace:C=R} writes every character {@code C} of a source key as {@code R} in the target key, for every
 * object, e.g. {@code replace:\=＼} for Azure Blob (which turns a backslash into {@code /}) or {@code replace::=：}
 * for a file system mounted from Windows. {@code C} and {@code R} are single characters other than {@code /}; no
 * {@code R} may be a {@code C} of another rule, and no two rules share a {@code C} or an {@code R}.
 *
 * <p>Keys the map touches (a source key with a {@code C} or an {@code R}, a target key with an {@code R}) do not sort
 * where their target keys do, so the diff takes them aside and pairs them by target key once both listings are read
 * ({@link Differ}); at most {@value #MAX_ASIDE} of them, in memory. Two source keys written as one target key (a
 * source that holds {@code a\b} and {@code a＼b}) fail the plan before anything is written. Immutable.
 */
public final class KeyMap {
    /** The map of a migration without rules: every key is its own target key. */
    public static final KeyMap NONE = new KeyMap(Map.of(), List.of());
    /** How many keys the map may touch, on both sides together (they are held in memory by the diff). */
    public static final int MAX_ASIDE = 100_000;

    private final Map<Integer, Integer> replace;
    private final List<String> rules;

    private KeyMap(Map<Integer, Integer> replace, List<String> rules) {
        this.replace = replace;
        this.rules = rules;
    }

    /** Parses the rules; {@code USER_CONFIG} naming the rule and the accepted form when one is malformed. */
    public static KeyMap parse(List<String> rules) {
        if (rules == null || rules.isEmpty()) {
            return NONE;
        }
        Map<Integer, Integer> replace = new LinkedHashMap<>();
        for (String rule : rules) {
            String r = rule == null ? "" : rule.strip();
            if (!r.startsWith("replace:")) {
                throw bad(rule, "it is not of the form replace:C=R");
            }
            String body = r.substring("replace:".length());
            int from = body.isEmpty() ? -1 : body.codePointAt(0);
            int at = from < 0 ? 0 : Character.charCount(from);
            if (from < 0 || body.length() <= at || body.charAt(at) != '=' || body.length() == at + 1) {
                throw bad(rule, "it is not of the form replace:C=R, one character on each side");
            }
            int to = body.codePointAt(at + 1);
            if (body.length() != at + 1 + Character.charCount(to)) {
                throw bad(rule, "it is not of the form replace:C=R, one character on each side");
            }
            if (from == '/' || to == '/') {
                throw bad(rule, "'/' separates the folders of a key and cannot be replaced or written");
            }
            if (from == to || replace.containsKey(from) || replace.containsValue(to) || replace.containsKey(to)
                    || replace.containsValue(from)) {
                throw bad(rule, "each character may appear in one rule only, on one side");
            }
            replace.put(from, to);
        }
        return new KeyMap(Map.copyOf(replace), List.copyOf(rules));
    }

    private static MigrationException bad(String rule, String why) {
        return MigrationException.userConfig("key map rule '" + rule + "' is malformed: " + why
                + " (e.g. replace:\\=\uff3c writes a backslash as a full-width one)");
    }

    /** Whether the map has rules. */
    public boolean isEmpty() {
        return replace.isEmpty();
    }

    /** The rules as written. */
    public List<String> rules() {
        return rules;
    }

    /** The target key of a source key. */
    public String target(String sourceKey) {
        if (replace.isEmpty() || !touchesSource(sourceKey)) {
            return sourceKey;
        }
        StringBuilder b = new StringBuilder(sourceKey.length());
        sourceKey.codePoints().forEach(c -> b.appendCodePoint(replace.getOrDefault(c, c)));
        return b.toString();
    }

    /** Whether a source key has a replaced character or a replacing one, so the diff takes it aside. */
    public boolean touchesSource(String sourceKey) {
        return !replace.isEmpty() && sourceKey.codePoints().anyMatch(c -> replace.containsKey(c)
                || replace.containsValue(c));
    }

    /** Whether a target key has a replacing character: it may be the target key of a source key taken aside. */
    public boolean touchesTarget(String targetKey) {
        return !replace.isEmpty() && targetKey.codePoints().anyMatch(replace::containsValue);
    }

    @Override
    public String toString() {
        return replace.isEmpty() ? "none" : String.join("; ", rules);
    }
}
