package dev.caravan.core.records;

import dev.caravan.api.record.DataRecord;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;

/**
 * An order-independent digest of a set of rows, computed the same way on both sides of a migration: each row is
 * rendered canonically (numbers by value whatever their Java type, booleans as 1/0, timestamps with a zone in UTC,
 * bytes as hex, floats of a {@code FLOAT} column at float precision), hashed with SHA-256, and the first 128 bits
 * of the row hashes are summed modulo 2^64 per 64-bit lane, with the row count. Two sets of rows have the same
 * digest exactly when (barring hash collisions) they hold the same rows, in any order. Not thread-safe.
 */
final class RowDigest {
    private final boolean[] asFloat;
    private final MessageDigest sha;
    private final StringBuilder sb = new StringBuilder(256);
    private long rows;
    private long lane1;
    private long lane2;

    /** @param asFloat per column, whether its floating-point values compare at float (32-bit) precision */
    RowDigest(boolean[] asFloat) {
        this.asFloat = asFloat.clone();
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(DataRecord r) {
        sb.setLength(0);
        Object[] v = r.values();
        for (int i = 0; i < v.length; i++) {
            canonical(sb, v[i], i < asFloat.length && asFloat[i]);
            sb.append('\u001f');
        }
        byte[] h = sha.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
        long a = 0;
        long b = 0;
        for (int i = 0; i < 8; i++) {
            a = (a << 8) | (h[i] & 0xff);
            b = (b << 8) | (h[i + 8] & 0xff);
        }
        lane1 += a;
        lane2 += b;
        rows++;
    }

    long rows() {
        return rows;
    }

    String digest() {
        return rows + ":" + HexFormat.of().toHexDigits(lane1) + HexFormat.of().toHexDigits(lane2);
    }

    void reset() {
        rows = 0;
        lane1 = 0;
        lane2 = 0;
    }

    static void canonical(StringBuilder sb, Object v, boolean asFloat) {
        if (v == null) {
            sb.append('\u0000');
        } else if (v instanceof Boolean b) {
            sb.append('n').append(b ? '1' : '0');
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            sb.append('n').append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append('n').append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (asFloat) {
                d = (float) d;
            }
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                sb.append('n').append((long) d);
            } else if (asFloat) {
                sb.append('f').append(Float.toString((float) d));
            } else {
                sb.append('f').append(d);
            }
        } else if (v instanceof byte[] b) {
            sb.append('x').append(HexFormat.of().formatHex(b));
        } else if (v instanceof OffsetDateTime t) {
            sb.append('S').append(t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN) ? t // outside UTC's range
                    : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else if (v instanceof ZonedDateTime t) {
            sb.append('S').append(t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else if (v instanceof LocalDateTime t) {
            sb.append('S').append(t);
        } else if (v instanceof java.util.UUID u) {
            sb.append('s').append(u);
        } else if (v instanceof CharSequence || v instanceof java.time.temporal.TemporalAccessor) {
            sb.append('s').append(v);
        } else {
            sb.append('s').append(v);
        }
    }
}
