package dev.caravan.connector.jdbc.dialect;

import dev.caravan.api.record.Column;
import dev.caravan.api.record.ColumnType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Column sizes every dialect uses when it names a target type: portable decimal scales, SMALLINT digits, templates. */
public final class ColumnSizes {
    private static final Pattern PARAMS = Pattern.compile("\\{([psn])}");

    /**
     * A DECIMAL column whose scale lies in 0..precision and holds every value of {@code c}: {@code (3,-2)}, integers
     * of at most 3 significant digits rounded to hundreds, becomes {@code (5,0)}; {@code (3,5)}, below 0.01 with 5
     * decimals, becomes {@code (5,5)}. Other columns are returned as they are.
     */
    public static Column withPortableScale(Column c) {
        if (c.type() != ColumnType.DECIMAL || c.precision() <= 0 || c.scale() >= 0 && c.scale() <= c.precision()) {
            return c;
        }
        return c.scale() < 0 ? new Column(c.name(), c.type(), c.nativeType(), c.precision() - c.scale(), 0,
                c.nullable()) : new Column(c.name(), c.type(), c.nativeType(), c.scale(), c.scale(), c.nullable());
    }

    /**
     * The most decimal digits of an integer column whose every value a 16-bit SMALLINT holds: 4 for an unsigned
     * source type (MariaDB's {@code SMALLINT UNSIGNED} has 5 digits and values up to 65535), else 5.
     */
    public static int smallintDigits(Column c) {
        return c.nativeType() != null && c.nativeType().toLowerCase(Locale.ROOT).contains("unsigned") ? 4 : 5;
    }

    /** Expands {@code {p}}, {@code {s}}, {@code {n}} in a type template with the column's precision and scale. */
    public static String expand(String template, Column c) {
        Matcher m = PARAMS.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int v = m.group(1).equals("s") ? c.scale() : c.precision();
            m.appendReplacement(sb, Integer.toString(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private ColumnSizes() {
    }
}
