package dev.caravan.core.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One descriptive attribute of a copied object that did not reach the target as it was on the source: mapped by a
 * declared rule, dropped by one, or not kept because the target cannot hold it. Kept in the journal's task report
 * (see {@link #encode}) and listed in the run's report.
 *
 * @param attribute the attribute's name on the source ({@code contentType}, {@code metadata.KEY}, {@code tag.KEY},
 *                  ...; see {@link MetadataRule})
 * @param action    what happened to it
 * @param detail    why, or where it went
 */
public record MetadataNote(String attribute, Action action, String detail) {

    /** What happened to an attribute. */
    public enum Action {
        /** Written under another name or form, by a declared rule. */
        MAPPED,
        /** Left out on purpose, by a declared rule. */
        DROPPED_BY_RULE,
        /** Left out because the target cannot hold it; the copy itself succeeded. */
        NOT_KEPT
    }

    /** Key of the notes in a task report's values. */
    public static final String REPORT_KEY = "metadata.notes";

    public MetadataNote {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(action, "action");
        detail = detail == null ? "" : detail;
    }

    /** The notes as one text value: one line per note, fields separated by tabs (which are replaced in them). */
    public static String encode(List<MetadataNote> notes) {
        StringBuilder sb = new StringBuilder();
        for (MetadataNote n : notes) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(n.action).append('\t').append(clean(n.attribute)).append('\t').append(clean(n.detail));
        }
        return sb.toString();
    }

    /** The inverse of {@link #encode}; lines that do not parse are skipped. */
    public static List<MetadataNote> decode(String text) {
        List<MetadataNote> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) {
                try {
                    out.add(new MetadataNote(f[1], Action.valueOf(f[0]), f[2]));
                } catch (IllegalArgumentException ignored) {
                    // a line of a newer or damaged journal: nothing to show
                }
            }
        }
        return out;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
