package dev.caravan.core.records;

import dev.caravan.api.journal.TaskId;
import dev.caravan.api.record.Split;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Task ids and journal items of record migrations. Ids are deterministic per (source, target, table, unit):
 * {@code table:<t>:prepare}, {@code table:<t>:split:<id>}, {@code table:<t>:finish}, {@code table:<t>:constraints}.
 * Items are readable ({@code table=orders split=2 lower=500000 upper=750000}) and carry what a resumed run must
 * find again: split bounds and the incremental high-water mark. Values are URL-encoded; {@code -} is an open bound.
 */
final class TaskItems {
    static final String PREPARE = "PREPARE";
    static final String COPY = "COPY";
    static final String FINISH = "FINISH";
    static final String CONSTRAINTS = "CONSTRAINTS";

    private final String source;
    private final String target;

    TaskItems(String source, String target) {
        this.source = source;
        this.target = target;
    }

    TaskId prepare(String table) {
        return TaskId.of(source, target, "table:" + table + ":prepare");
    }

    TaskId split(String table, String splitId) {
        return TaskId.of(source, target, "table:" + table + ":split:" + splitId);
    }

    TaskId finish(String table) {
        return TaskId.of(source, target, "table:" + table + ":finish");
    }

    TaskId constraints(String table) {
        return TaskId.of(source, target, "table:" + table + ":constraints");
    }

    static String prepareItem(String table, String highWater) {
        return "table=" + enc(table) + " prepare" + (highWater == null ? "" : " highWater=" + enc(highWater));
    }

    static String splitItem(String table, Split s) {
        return "table=" + enc(table) + " split=" + enc(s.id()) + " lower=" + enc(s.lowerBound()) + " upper="
                + enc(s.upperBound());
    }

    static String tableItem(String table, String what) {
        return "table=" + enc(table) + " " + what;
    }

    /** The split an item describes. */
    static Split split(String item) {
        Map<String, String> f = fields(item);
        return new Split(f.get("split"), f.get("lower"), f.get("upper"));
    }

    /** The high-water mark of a prepare item, or {@code null}. */
    static String highWater(String item) {
        return fields(item).get("highWater");
    }

    private static Map<String, String> fields(String item) {
        Map<String, String> out = new HashMap<>();
        for (String part : item.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), dec(part.substring(eq + 1)));
            }
        }
        return out;
    }

    static String enc(String s) {
        return s == null ? "-" : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("-", "%2D");
    }

    private static String dec(String s) {
        return s.equals("-") ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
